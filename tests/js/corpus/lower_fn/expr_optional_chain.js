function main(input) {
  const o = { a: { b: { c: 1 } }, arr: [10], f() { return this.tag; }, tag: "T", n: null };
  let count = 0;
  const get = () => { count++; return o; };
  return [o?.a?.b?.c, o.x?.y.z, o.n?.q, o.arr?.[0], o.f?.(), o.g?.(), o?.f(), get()?.a.b.c, count,
          o.n?.f(), (null)?.x ?? "def", o.a?.["b"].c, delete o?.a.b, o.a, delete o.zz?.y];
}
