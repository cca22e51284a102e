var n = 0; class C { a = 1; b = this.a + 1; ["c" + n] = 3; static s = 10; static t = C.s + 1; d; e = () => this.a; static f }
var c = new C(); console.log(c.a, c.b, c.c0, C.s, C.t, "d" in c, c.d, c.e(), "f" in C);
