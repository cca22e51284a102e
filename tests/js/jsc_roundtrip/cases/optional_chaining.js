var o = {a: {b: {c: 1}}, f() { return this.a }, arr: [1, 2]}, n = null;
console.log(o?.a?.b.c, n?.a.b.c, o.x?.y.z, o.f?.().b.c, n?.f(), o?.["arr"]?.[1], n?.[0], o.g?.(), (o?.a).b.c);
