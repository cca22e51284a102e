// error: 2:11: Invalid or unexpected token '@'
var a = 1 @ 2;
