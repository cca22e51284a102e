// error: 2:6: Invalid left-hand side in for-of loop: must have a single binding
for (let a, b of []) ;
