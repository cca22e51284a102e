var async = 1;
var x = async
function f() { return 2 }
console.log(x, f());
