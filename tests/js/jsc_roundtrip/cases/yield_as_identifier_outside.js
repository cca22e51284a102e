var yield = 3; function f() { return yield } console.log(f());
