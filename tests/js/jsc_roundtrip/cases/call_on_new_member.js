function A() {} A.prototype.m = function () { return "m" }; console.log(new A().m(), new A()["m"]());
