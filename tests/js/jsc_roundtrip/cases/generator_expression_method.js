var g = function* () { yield 1 }; var o = { *m() { yield 2 } }; class C { *n() { yield 3 } static *s() { yield 4 } }
console.log(g().next().value, o.m().next().value, new C().n().next().value, C.s().next().value);
