// error: 2:15: Unexpected eval or arguments in strict mode
"use strict"; eval = 1;
