// modules: array array-from array-iter
out([1, 2, 3].find(function (x) { return x > 1; }), [1, 2].find(function () { return false; }), [5, 6].findIndex(function (x) { return x === 6; }), [].findIndex(function () { return true; }));
var ctx = { n: 2 }; out([1, 2, 3].find(function (x) { return x === this.n; }, ctx));
out([1, NaN, 3].includes(NaN), [1, 2, 3].includes(2, 2), [1, 2, 3].includes(3, -1), [0].includes(-0), (function () { var h = [1, 0, 3]; delete h[1]; return h.includes(undefined); })(), [1, 2].indexOf(NaN));
out([1, 2, 3, 4].fill(0), [1, 2, 3, 4].fill(9, 1, 3), [1, 2, 3, 4].fill(7, -2), new Array(3).fill(1));
out([1, 2, 3, 4, 5].copyWithin(0, 3), [1, 2, 3, 4, 5].copyWithin(1, 0, 3), [1, 2, 3, 4, 5].copyWithin(-2, 0), [1, 2, 3, 4, 5].copyWithin(0, -2, -1));
out([1, [2, [3, [4]]]].flat(), [1, [2, [3, [4]]]].flat(2), [1, [2, [3, [4]]]].flat(Infinity), (function () { var h = [1, 0, [2, 0, 3]]; delete h[1]; delete h[2][1]; return h.flat(); })(), [[1]].flat(0));
out([1, 2].flatMap(function (x) { return [x, x * 2]; }), [1, 2].flatMap(function (x) { return [[x]]; }), ["a b", "c"].flatMap(function (s) { return s.split(" "); }));
out(Array.of(1, 2, 3), Array.of(7), Array.of());
out(Array.from("a\ud83d\ude00").map(units), Array.from([1, 2], function (x, i) { return x * 10 + i; }), Array.from({ length: 3 }, function (_, i) { return i * i; }), Array.from({ length: 2, 0: "x" }));
function args() { return Array.from(arguments); } out(args(1, 2));
out(Array.from({ "@@iterator": undefined, length: 1, 0: "q" }));
var iterable = {}; iterable[Symbol.iterator] = function () { var i = 0; return { next: function () { return i < 3 ? { value: i++, done: false } : { value: undefined, done: true }; } }; };
out(Array.from(iterable), Array.from(iterable, function (x) { return -x; }));
throws(function () { Array.from(null); });
throws(function () { Array.from([1], 5); });
out($jsc_to_array([1, 2].keys()), $jsc_to_array(["a", "b"].entries()), $jsc_to_array(["x"].values()), [].values === [][Symbol.iterator]);
var ai = [1, 2].values(); out(ai.next(), ai.next(), ai.next(), ai.next());
out(JSON.stringify([1, [2]]), Object.getOwnPropertyNames(Array.prototype).indexOf("find") >= 0); // (MuJS 1.3 lists array indexes wrongly in for-in: not compared)
throws(function () { [].find(5); });
throws(function () { Array.prototype.includes.call(null, 1); });
