// error: 2:1: Invalid left-hand side in assignment
f() = 2;
