// error: 2:15: Unexpected token ';' (expected '=>')
var x = (...a);
