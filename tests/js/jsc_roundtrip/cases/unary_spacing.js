var a = 1, b = 2; console.log(a - -b, a + +b, - -a, + +a, a - - -b, -(-a), a+ ++b, a- --b, a++ + b, a-- - b);
