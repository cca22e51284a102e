"use strict"; function f() { return this } console.log(f() === undefined); try { undeclared = 1 } catch (e) { console.log(e.name) }
