class Foo {}
function main(input) {
  try { Foo(); return "no error"; } catch (e) { return [e instanceof TypeError, e.message]; }
}
