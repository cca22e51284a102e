// error: 2:10: invalid Unicode escape sequence
var s = "\u{110000}";
