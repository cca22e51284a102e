var a, b, c; a = b = c = 5; var o = {}; o.x = o.y = 7; a += b -= 2; c **= 2; c %= 7; a <<= 1; a >>= 1; a >>>= 0; b &= 3; b |= 8; b ^= 1;
console.log(a, b, c, o.x, o.y);
