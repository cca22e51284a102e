function f() { "use strict"; return this === undefined } function g() { return this !== undefined } console.log(f(), g());
