// error: 2:6: for-of loop variable declaration may not have an initializer
for (var x = 1 of []) ;
