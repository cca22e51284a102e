// error: 2:12: Invalid shorthand property initializer ('=' is only valid in a destructuring pattern)
var o = {a = 1};
