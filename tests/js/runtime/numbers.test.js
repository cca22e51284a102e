// modules: number math object object-fromentries globalthis symbol
out(Number.isInteger(5), Number.isInteger(5.5), Number.isInteger("5"), Number.isInteger(Infinity), Number.isSafeInteger(Math.pow(2, 53)), Number.isSafeInteger(Math.pow(2, 53) - 1));
out(Number.isFinite(1), Number.isFinite("1"), Number.isFinite(Infinity), Number.isNaN(NaN), Number.isNaN("x"), Number.parseFloat("1.5e3x"), Number.parseInt("0x1f"), Number.parseInt === parseInt);
out(Number.EPSILON, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Object.keys(Number));
var xs = [0, -0, 1.5, -1.5, 2.7, -2.7, NaN, Infinity, -Infinity, 27, -8, 0.001, 1e300, 123456.789];
for (var i = 0; i < xs.length; i++) {
    var x = xs[i];
    out([Math.trunc(x), Math.sign(x), r12(Math.cbrt(x)), r12(Math.expm1(x)), r12(Math.log1p(x)), Math.fround(x), Math.clz32(x)]);
}
out(Math.log2(8), Math.log2(1024), r12(Math.log2(3)), Math.log10(1000), Math.log10(1e-3), r12(Math.log10(2)), Math.log2(-1), Math.log10(0));
out(Math.hypot(3, 4), Math.hypot(), Math.hypot(NaN, Infinity), r12(Math.hypot(1e200, 1e200)), Math.hypot(-3), Math.hypot(1, 2, 2));
out(Math.fround(5.5), Math.fround(5.05), Math.fround(1e-40), Math.fround(3.4028236e38), Math.fround(16777217), Math.fround(0.1));
out(Math.clz32(1), Math.clz32(-1), Math.clz32(0x80000000), Math.clz32(0.5), Math.imul(3, 4), Math.imul(-5, 12), Math.imul(0xffffffff, 5), Math.imul(0x7fffffff, 0x7fffffff));
out(Object.assign({ a: 1 }, null, { b: 2 }, "xy", { a: 3 }), Object.assign([1, 2], [3]));
throws(function () { Object.assign(null, {}); });
out(Object.entries({ a: 1, b: [2] }), Object.values({ x: "y" }), Object.entries("ab"), Object.values([7, 8]));
out(Object.is(NaN, NaN), Object.is(0, -0), Object.is(-0, -0), Object.is("a", "a"), Object.is({}, {}));
out(Object.fromEntries([["a", 1], ["b", 2]]), Object.fromEntries(Object.entries({ x: 1 })));
throws(function () { Object.fromEntries([1]); });
throws(function () { Object.fromEntries(null); });
out(typeof globalThis, globalThis.Math === Math, Object.keys(globalThis).indexOf("globalThis"));
var s1 = Symbol("d"), s2 = Symbol(), so = {};
so[s1] = 1; so.plain = 2;
out(String(s1.toString()), s1.description, s2.description, s1 === Symbol("d"), Symbol.for("k") === Symbol.for("k"), Symbol.keyFor(Symbol.for("k")), Symbol.keyFor(s1), Object.getOwnPropertySymbols(so).length, so[s1]);
out(Symbol.iterator.toString(), Symbol.asyncIterator.description, $jsc_typeof(s1), $jsc_typeof("s"), $jsc_typeof(1));
throws(function () { new Symbol(); });
