// error: 2:10: Unicode property escapes \p{...} in regular expressions are not supported
var r = /\p{L}+/;
