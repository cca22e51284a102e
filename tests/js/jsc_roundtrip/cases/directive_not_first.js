function f() { var x = 1; "use strict"; return this !== undefined } console.log(f());
