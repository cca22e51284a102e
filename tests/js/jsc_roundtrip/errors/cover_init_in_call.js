// error: 2:6: Invalid shorthand property initializer ('=' is only valid in a destructuring pattern)
f({a = 1});
