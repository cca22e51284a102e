// error: 2:16: Setter must have exactly one formal parameter
var o = { set x() {} };
