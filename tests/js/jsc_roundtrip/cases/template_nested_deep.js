var a = 1; console.log(`x${`y${`z${a}`}`}w`, `${a}${a}`, `${a + `${a}`}`);
