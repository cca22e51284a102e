for (var i = 0, j = 10; i < j; i += 3, j--) console.log(i, j); for (;;) { break } var k = 0; for (; k < 2;) k++; console.log(k);
