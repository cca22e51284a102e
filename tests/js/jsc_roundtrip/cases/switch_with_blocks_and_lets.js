function f(x) { switch (x) { case "a": { let y = 1; return y } case "b": { let y = 2; return y } default: { return 0 } } } console.log(f("a"), f("b"), f("c"));
