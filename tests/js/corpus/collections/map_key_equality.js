function main(input) {
  const m = new Map();
  const objKey = {};
  m.set(NaN, 'nan').set(0, 'zero').set('0', 'string zero').set(objKey, 'obj');
  return [m.get(NaN), m.get(-0), m.get('0'), m.get({}), m.get(objKey), m.has(NaN), m.size];
}
