var o = { get 1() { return "one" }, set "s p"(v) { this.sp = v }, get [2]() { return "two" } }; o["s p"] = 3; console.log(o[1], o[2], o.sp);
