var ns = { A: class { who() { return "A" } } }; class B extends ns.A { who() { return "B<" + super.who() } } console.log(new B().who());
