console.log([] instanceof Array, typeof typeof 1, typeof undefined_var, !(1 instanceof Number), void 0, typeof void 0);
