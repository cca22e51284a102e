var o = {a: 1}; for (var i = ("a" in o) ? 1 : 0; i < 2; i++) console.log(i); for (var x = function () { return "a" in o }; false;); console.log(x());
var y; for (y = ("a" in o); false;); console.log(y); for (var z = [("a" in o)]; false;); console.log(z);
