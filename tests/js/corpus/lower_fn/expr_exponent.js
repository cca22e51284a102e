function main(input) {
  let x = 3;
  x **= 2;
  const o = { v: 2 };
  let reads = 0;
  const get = () => { reads++; return o; };
  get().v **= 3;
  const arr = [2];
  let i = 0;
  arr[i++] **= 2;
  return [2 ** 10, (-2) ** 3, 2 ** -1, 2 ** 3 ** 2, x, o.v, reads, arr, i];
}
