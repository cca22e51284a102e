function main(input) {
  const { toFixed } = 5;
  const { length, 0: first } = 'xyz';
  return [typeof toFixed, length, first];
}
