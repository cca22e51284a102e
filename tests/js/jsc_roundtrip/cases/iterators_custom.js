var it = { [Symbol.iterator]() { var i = 0; return { next: () => ({ value: i, done: i++ >= 3 }) } } }; console.log([...it].join()); for (var v of it) console.log(v);
