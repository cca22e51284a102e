function main(input) {
  const k = 'val';
  const store = {};
  const o = {
    get [k]() { return store.x; },
    set [k](v) { store.x = v * 2; }
  };
  o.val = 5;
  return [o.val, Object.keys(o)];
}
