function main(input) {
  const k = 'dyn';
  let n = 0;
  const { [k]: v1, [`${k}2`]: v2 = ++n, [k + '3']: v3 = ++n } = { dyn: 'D', dyn3: 'E' };
  return { v1, v2, v3, n };
}
