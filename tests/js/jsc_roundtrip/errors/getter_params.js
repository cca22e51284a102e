// error: 2:16: Getter must not have any formal parameters
var o = { get x(a) { return 1 } };
