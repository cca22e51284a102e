// error: 2:7: Missing initializer in const declaration
const x;
