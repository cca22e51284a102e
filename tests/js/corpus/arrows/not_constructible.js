// known-difference: arrow functions can be called with new (checking it would slow every call), and MuJS cannot delete a function's prototype
function main(input) {
  const A = () => 1;
  try {
    new A();
    return 'constructed';
  } catch (e) {
    return { name: e.name, isTypeError: e instanceof TypeError, hasPrototype: A.hasOwnProperty('prototype') };
  }
}
