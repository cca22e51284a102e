var o = { get f() { return () => 7 } }; console.log(o.f(), (o.f)());
