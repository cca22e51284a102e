// error: 2:9: dynamic import() is not supported: a task is a script; define a global main function
var m = import("x");
