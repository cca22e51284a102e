function main(input) {
  const A = () => 1;
  try {
    new A();
    return 'constructed';
  } catch (e) {
    return { name: e.name, isTypeError: e instanceof TypeError, hasPrototype: A.hasOwnProperty('prototype') };
  }
}
