// error: 2:22: Malformed arrow function: an arrow function cannot be an operand without parentheses
var x = a => a + 1 * () => 2;
