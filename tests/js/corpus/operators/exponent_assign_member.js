function main(input) {
  const o = { v: 3 };
  let reads = 0;
  const get = () => { reads++; return o; };
  get().v **= 3;
  const arr = [2];
  arr[0] **= arr[0];
  return { v: o.v, reads, arr };
}
