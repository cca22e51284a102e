// error: 2:15: Delete of an unqualified identifier in strict mode
"use strict"; delete x;
