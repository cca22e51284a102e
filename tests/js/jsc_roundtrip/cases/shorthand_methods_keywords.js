var o = { if() { return 1 }, class() { return 2 }, new() { return 3 }, get() { return 4 }, set() { return 5 }, static() { return 6 }, async() { return 7 }, await() { return 8 } };
console.log(o.if(), o.class(), o.new(), o.get(), o.set(), o.static(), o.async(), o.await());
