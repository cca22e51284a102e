// error: 2:12: Invalid regular expression flags 'x'
var r = /a/x;
