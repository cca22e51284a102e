var x = 5; console.log(!!x, !-x, -~x, ~-x, +!x, typeof -x, - + - x, void !x);
