function f() { ("use strict"); return this !== undefined } console.log(f());
