// stack-has: main.js:7:13
// message-has: Error: no config for prod
function main(input) {
  class Config {
    static get current() {
      const env = 'prod';
      throw new Error(`no config for ${env}`);
    }
  }
  return Config.current;
}
