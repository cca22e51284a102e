// error: 2:14: Illegal continue statement: no surrounding iteration statement
while (0) {} continue;
