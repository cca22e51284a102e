var k = "dyn"; var o = {a: 1, "b c": 2, 3: 3, [k + "x"]: 4, k, f() { return this.a }, get g() { return 10 }, set s(v) { this._s = v }}; o.s = 9; console.log(JSON.stringify(o), o.f(), o.g, o._s);
