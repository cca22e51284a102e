var t = true; var f = t ? x => x + 1 : x => x - 1; console.log(f(1), (t ? () => "a" : () => "b")());
