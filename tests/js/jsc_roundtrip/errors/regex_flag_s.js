// error: 2:14: the regular expression flag 's' (dotAll) is not supported
var r = /a.b/s;
