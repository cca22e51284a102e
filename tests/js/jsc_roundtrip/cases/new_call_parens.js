function mk() { return function C() { this.c = 1 } } var o = {mk: mk}; console.log(new (mk())().c, new (o.mk())().c, new (mk().bind(null))().c);
