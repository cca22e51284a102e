// error: 2:8: Lexical declaration cannot appear in a single-statement context
if (x) let y = 1;
