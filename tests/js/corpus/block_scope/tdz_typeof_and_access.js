function main(input) {
  let caught = null;
  try {
    value + 1;
  } catch (e) {
    caught = e.name;
  }
  let value = 5;
  return { caught, value };
}
