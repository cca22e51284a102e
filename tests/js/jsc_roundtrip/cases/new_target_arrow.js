function F() { return (() => new.target)() } console.log(new F() === undefined, F() === undefined);
