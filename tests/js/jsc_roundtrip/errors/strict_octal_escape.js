// error: 2:23: Octal escape sequences are not allowed in strict mode
"use strict"; var s = "\01";
