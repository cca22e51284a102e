// error: Reflect
// at: 4:10
function main(input) {
  return Reflect.ownKeys({ a: 1 });
}
