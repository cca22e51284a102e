// error: 3:1: Unexpected token '=>' (no line break is allowed before '=>')
var f = ()
=> 1;
