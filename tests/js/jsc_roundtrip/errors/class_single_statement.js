// error: 2:11: Class declaration cannot appear in a single-statement context
while (0) class A {}
