// error: 3:5: Unexpected token ')'
var t = `a
b`; ) 
