// error: 2:10: Invalid hexadecimal escape sequence
var s = "\x4";
