// error: 2:9: new.target expression is not allowed here
var x = new.target;
