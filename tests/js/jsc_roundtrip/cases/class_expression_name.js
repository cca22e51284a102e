var C = class Inner { who() { return Inner.name } }; console.log(C.name, new C().who(), typeof Inner);
