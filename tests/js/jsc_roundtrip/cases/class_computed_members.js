var k = "dyn"; class C { [k]() { return 1 } static [k + "S"]() { return 2 } get [k + "G"]() { return 3 } ["con" + "structor"]() { return 4 } }
console.log(new C().dyn(), C.dynS(), new C().dynG, new C().constructor === C);
