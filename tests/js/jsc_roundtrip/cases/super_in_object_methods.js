var base = { hi() { return "base" } }; var o = { __proto__: base, hi() { return "o+" + super.hi() } }; console.log(o.hi());
