// error: 2:26: Illegal continue statement: 'a' does not denote an iteration statement
a: { for (;;) { continue a; } }
