// error: field
// at: 5:5
function main(input) {
  class Config {
    retries = 3;
  }
  return new Config().retries;
}
