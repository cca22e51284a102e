function f() { try { return "try" } finally { console.log("finally") } } console.log(f()); try { null.x } catch (e) { console.log(e instanceof TypeError) } finally { console.log("f2") }
