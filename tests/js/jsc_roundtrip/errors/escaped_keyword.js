// error: 2:5: Keyword must not contain escaped characters
var v\u0061r = 1;
