var async = function (x) { return x * 10 }; console.log(async(2)); var o = {async: 1}; console.log(o.async);
var f = async; console.log(f(3));
