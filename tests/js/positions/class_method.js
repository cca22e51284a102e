// stack-has: main.js:9:15
// message-has: Error: empty stack
function main(input) {
  class Stack {
    constructor() { this.items = []; }
    push(x) { this.items.push(x); return this; }
    pop() {
      if (this.items.length === 0)
        throw new Error('empty stack');
      return this.items.pop();
    }
  }
  const s = new Stack().push(1);
  s.pop();
  return s.pop();
}
