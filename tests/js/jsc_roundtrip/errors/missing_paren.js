// error: 2:7: Unexpected token '{' (expected ')')
if (a { }
