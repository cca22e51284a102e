// error: 2:2: Invalid destructuring assignment target
[a + b] = c;
