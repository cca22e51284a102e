function main(input) {
  const arr = ['x', 'y'];
  const out = [];
  for (const k of arr.keys()) out.push(k);
  for (const v of arr.values()) out.push(v);
  for (const [i, v] of arr.entries()) out.push(`${i}${v}`);
  return out;
}
