var proto = { get x() { return 1 } }; var o = { __proto__: proto, get x() { return super.x + 10 } }; console.log(o.x);
