var a = 1
/* comment
*/ ++a
console.log(a)
