// error: 2:18: Undefined label 'nope'
for (;;) { break nope; }
