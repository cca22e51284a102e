// error: 2:3: Invalid left-hand side in prefix operation
++f();
