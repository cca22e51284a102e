var a = 1
var b = a
+ 1
console.log(a, b)
