loop1: while (true) { loop2: do { break loop1 } while (true) } console.log("escaped");
