function main(input) {
  const o = { a: 1 };
  o.a = 2;
  o.b = 3;
  const arr = [1];
  arr.push(2);
  return { o, arr };
}
