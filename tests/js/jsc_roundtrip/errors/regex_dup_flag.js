// error: 2:13: duplicate regular expression flag 'g'
var r = /a/gg;
