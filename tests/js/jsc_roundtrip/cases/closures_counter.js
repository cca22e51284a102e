function counter() { let n = 0; return { inc: () => ++n, get: () => n } } var c = counter(); c.inc(); c.inc(); console.log(c.get());
