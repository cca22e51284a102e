var i = 0; while (i < 3) i++; do { i-- } while (i > 1); console.log(i); do ; while (false) console.log("after");
