// error: 2:9: Invalid or unexpected token (unterminated string literal)
var s = "abc
