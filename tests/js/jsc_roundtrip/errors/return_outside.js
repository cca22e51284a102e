// error: 2:1: Illegal return statement
return 1;
