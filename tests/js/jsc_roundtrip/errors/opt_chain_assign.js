// error: 2:1: Invalid left-hand side in assignment
a?.b = 1;
