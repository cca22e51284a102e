function main(input) {
  const linked = { value: 1, next: { value: 2, next: { value: 3, next: null } } };
  const list = {
    head: linked,
    [Symbol.iterator]() {
      let node = this.head;
      return { next() { if (!node) return { done: true, value: undefined }; const v = node.value; node = node.next; return { done: false, value: v }; } };
    }
  };
  const out = [];
  for (const v of list) out.push(v);
  return out;
}
