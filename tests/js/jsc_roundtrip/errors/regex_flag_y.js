// error: 2:12: the regular expression flag 'y' (sticky) is not supported
var r = /a/y;
