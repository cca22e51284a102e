// error: 2:2: A rest element cannot have a trailing comma
[...a,] = b;
