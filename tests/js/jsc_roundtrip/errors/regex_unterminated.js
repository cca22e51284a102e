// error: 2:9: Invalid regular expression: missing /
var r = /abc
