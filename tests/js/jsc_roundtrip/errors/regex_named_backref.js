// error: 2:13: named backreferences \k<name> in regular expressions are not supported
var r = /(a)\k<x>/;
