var café = 1, π = 3.14, \u0061bc = 5, ünïcödé = 7; console.log(café, π, abc, ünïcödé);
