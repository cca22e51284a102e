// known-difference: ES5 cannot give a subclass instance the internal class Error ([object Error])
function main(input) {
  class BadInput extends TypeError {}
  const e = new BadInput('nope');
  return [e instanceof TypeError, e instanceof Error, e.message, e.name, Object.prototype.toString.call(e)];
}
