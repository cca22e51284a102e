function main(input) {
  const m = new Map([['x', 1], ['y', 2]]);
  const out = [];
  for (const [key, value] of m) out.push(`${key}=${value}`);
  for (const [i, ch] of ['p', 'q'].entries()) out.push(i + ch);
  return out;
}
