// error: 2:10: lookbehind assertions (?<= and (?<! in regular expressions are not supported
var r = /(?<!a)b/;
