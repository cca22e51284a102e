// error: 2:23: Octal literals are not allowed in strict mode
"use strict"; var x = 017;
