function main(input) {
  const secret = Symbol('secret');
  const o = { visible: 1, [secret]: 2 };
  const keys = [];
  for (const k in o) keys.push(k);
  return { keys, json: JSON.parse(JSON.stringify(o)), syms: Object.getOwnPropertySymbols(o).map(String), val: o[secret] };
}
