var o = {f: x => x + 1, g: async () => 2, h: function () { return 3 }, i: class { static m() { return 4 } }}; console.log(o.f(0), o.h(), o.i.m()); o.g().then(console.log);
