var a = 1, b = 2
a
++b
console.log(a, b)
