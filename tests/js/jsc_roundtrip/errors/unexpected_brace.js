// error: 2:15: Unexpected token '}' (expected ')')
var a = (1 + 2};
