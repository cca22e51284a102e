function f(x) { switch (x) { case 1: return "one"; case 2: case 3: { return "two-three" } default: return "other"; case 4: return "four" } }
console.log(f(1), f(3), f(4), f(9)); switch (0) {} switch (1) { default: }
