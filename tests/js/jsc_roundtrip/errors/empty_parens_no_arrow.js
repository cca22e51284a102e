// error: 2:11: Unexpected token ';' (expected '=>')
var x = ();
