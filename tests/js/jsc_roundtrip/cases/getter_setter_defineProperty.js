var o = { _v: 1, get v() { return this._v }, set v(x) { this._v = x * 2 } }; o.v = 5; console.log(o.v, Object.getOwnPropertyDescriptor(o, "v").get !== undefined);
