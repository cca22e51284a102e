// error: 2:9: Unterminated template literal
var t = `abc
