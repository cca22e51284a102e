// known-difference: ES5 cannot subclass Array: instances are not arrays (Array.isArray, length)
function main(input) {
  class Stack extends Array {
    peek() { return this[this.length - 1]; }
  }
  const s = new Stack();
  s.push(1, 2, 3);
  return [s.length, s.peek(), s instanceof Array, Array.isArray(s)];
}
