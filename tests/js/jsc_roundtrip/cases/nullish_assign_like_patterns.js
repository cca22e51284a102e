var o = {}; o.a = o.a ?? 5; o.b ?? (o.b = 6); console.log(o.a, o.b);
