var o = { Base: class { f() { return 1 } } }; class C extends o.Base {} class D extends (function () { return o.Base })() {} console.log(new C().f(), new D().f());
