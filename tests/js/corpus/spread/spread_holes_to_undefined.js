function main(input) {
  const sparse = [1, , 3];
  const dense = [...sparse];
  return [dense.length, 1 in dense, dense[1] === undefined, sparse.hasOwnProperty(1)];
}
