var p = {hi() { return "hi" }}; var o = {__proto__: p, a: 1}; console.log(o.hi(), Object.getPrototypeOf(o) === p, JSON.stringify(o));
