class A { m() { return 1 } } class B extends A { m() { var f = () => super.m() + 1; return f() } } console.log(new B().m());
