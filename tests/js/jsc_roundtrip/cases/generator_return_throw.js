function* g() { try { yield 1; yield 2 } finally { console.log("cleanup") } } var it = g(); it.next(); console.log(JSON.stringify(it.return(5)));
