function f(a, b) { if (a) for (var i = 0; i < 1; i++) if (b) return "x"; else return "y"; return "z" } console.log(f(1, 1), f(1, 0), f(0, 1));
