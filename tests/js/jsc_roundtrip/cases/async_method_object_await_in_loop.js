var o = { async sum(xs) { let s = 0; for (const x of xs) s += await x; return s } }; o.sum([1, Promise.resolve(2), 3]).then(console.log);
