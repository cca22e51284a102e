{ function inner() { return "inner" } console.log(inner()) } if (true) function annexB() { return "b" } console.log(typeof annexB);
