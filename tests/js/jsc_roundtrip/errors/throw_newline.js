// error: 3:1: Illegal newline after throw
throw
new Error();
