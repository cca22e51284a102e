function f() { return Array.prototype.slice.call(arguments).join("-") } console.log(f(1, 2, 3));
