// error: 2:16: Unexpected token '??': it cannot be mixed with || or && without parentheses
var x = a && b ?? c;
