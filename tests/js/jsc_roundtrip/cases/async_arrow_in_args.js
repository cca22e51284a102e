function call(f) { return f(2) } call(async x => x * 3).then(console.log); call(async (x) => { return x * 4 }).then(console.log);
