var o = { f(a, b) { return a + b } }; console.log(o?.f(1, 2), o.f?.(...[3, 4]), o.g?.(undefined.x));
