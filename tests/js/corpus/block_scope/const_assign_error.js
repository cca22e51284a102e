function main(input) {
  const c = 1;
  try {
    c = 2;
    return 'no error';
  } catch (e) {
    return { name: e.name, isTypeError: e instanceof TypeError, c };
  }
}
