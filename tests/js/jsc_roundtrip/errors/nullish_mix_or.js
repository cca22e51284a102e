// error: 2:11: Unexpected token '??': it cannot be mixed with || or && without parentheses
var x = a ?? b || c;
