function main(input) {
  const o = { f() { return this === o; }, nothing: null };
  const noFn = undefined;
  return [o.f?.(), o.g?.(), noFn?.(), o.nothing?.(), o?.f(), o.f?.call(o)];
}
