// error: 2:5: Missing initializer in destructuring declaration
var {a};
