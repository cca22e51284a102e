// error: 3:1: Unexpected end of input (expected 'catch' or 'finally')
try {}
