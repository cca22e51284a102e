class A { get v() { return 1 } } class B extends A { get v() { return super.v + 1 } m() { return super["v"] * 10 } } console.log(new B().v, new B().m());
