function f(n) { if (n < 0) return "neg"; else if (n === 0) return "zero"; else if (n < 10) { return "small" } else return "big" } console.log(f(-1), f(0), f(5), f(50));
