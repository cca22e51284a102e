// error: 2:9: Invalid escape sequence in template
var t = `\unicode`;
