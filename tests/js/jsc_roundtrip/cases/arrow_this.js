var o = { v: 42, m() { return [1].map(() => this.v) } }; console.log(o.m()[0]);
