(function () { return 1 }).call(null); (function f() {}).name; console.log((function g() {}).name);
