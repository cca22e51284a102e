// error: 3:1: Unexpected end of input (expected '}')
function f() {
