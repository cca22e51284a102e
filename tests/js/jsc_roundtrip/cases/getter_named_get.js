var o = { get get() { return "gg" }, set set(v) { this.s = v } }; o.set = 1; console.log(o.get, o.s);
