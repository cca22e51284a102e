var 𐐀x = 2; console.log(typeof 𐐀x);
