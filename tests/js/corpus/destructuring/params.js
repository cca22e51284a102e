function main(input) {
  function area({ w, h = w }) { return w * h; }
  const full = ({ first, last }, [sep = ' '] = []) => first + sep + last;
  function withDefault({ a = 1, b = 2 } = {}) { return a + b; }
  return [area({ w: 3 }), area({ w: 2, h: 5 }), full({ first: 'A', last: 'B' }), full({ first: 'A', last: 'B' }, ['_']), withDefault(), withDefault({ b: 10 })];
}
