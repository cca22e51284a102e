// error: 2:10: Invalid or unexpected token (identifier directly after number)
var n = 3in [];
