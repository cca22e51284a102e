// error: 2:13: the regular expression flag 'u' (unicode) is not supported
var r = /a/gu;
