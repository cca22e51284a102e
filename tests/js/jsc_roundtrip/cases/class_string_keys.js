class C { "quoted key"() { return 1 } 42() { return 2 } "constructor"() { this.v = 3 } }
var c = new C(); console.log(c["quoted key"](), c[42](), c.v);
