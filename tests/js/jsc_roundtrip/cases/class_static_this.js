class C { static a = 1; static b = this.a + 1; static m() { return this.b } } console.log(C.b, C.m());
