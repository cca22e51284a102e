// error: 2:12: Unary operator used immediately before exponentiation expression: parentheses must be used to disambiguate operator precedence
var x = -2 ** 2;
