// error: 2:17: Unexpected token '=' (expected ')' after a rest parameter)
function f(...a = 1) {}
