class C { v = 5; get = () => this.v; static w = 6; static sget = () => this.w } var c = new C(); var g = c.get; console.log(g(), C.sget());
