function main(input) {
  const s = Symbol('tag');
  const o = { [s]: 'sym value', plain: 1 };
  return { viaSym: o[s], keys: Object.keys(o), symCount: Object.getOwnPropertySymbols(o).length, json: JSON.stringify(o) };
}
