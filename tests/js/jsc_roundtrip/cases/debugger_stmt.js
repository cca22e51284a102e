debugger; console.log("dbg");
