function main(input) {
  class A {}
  try {
    A();
    return 'called';
  } catch (e) {
    return e instanceof TypeError;
  }
}
