class C {
  a = 1
  b
  static c = 2
  get = 3
  static
  x() { return this.a }
}
var o = new C(); console.log(o.a, o.b, C.c, o.get, "set" in o, "static" in o, C.x());
