function main(input) {
  const s = 'price: 10 USD, tax: 2 USD';
  const calls = [];
  const global = s.replace(/(\d+) (USD)/g, (m, n, cur, offset, whole) => { calls.push([m, n, cur, offset, whole === s]); return `${n * 2} EUR`; });
  const plain = 'héllo wörld'.replace(/o/g, (m, offset) => `[${offset}]`);
  const once = 'a1b2'.replace(/\d/, (m, offset) => `<${m}@${offset}>`);
  const empty = 'abc'.replace(/x*/g, (m, offset) => `${offset}`);
  const lastIndexAfter = (() => { const re = /a/g; re.lastIndex = 2; 'aaa'.replace(re, () => 'b'); return re.lastIndex; })();
  const byString = 'x-y'.replace(/-/, '+$&+');
  return { global, calls, plain, once, empty, lastIndexAfter, byString };
}
