a: for (var i = 0; i < 3; i++) { b: for (var j = 0; j < 3; j++) { if (j === 1) continue a; if (i === 2) break a; console.log(i, j) } }
c: { console.log("in"); break c; console.log("never") } d: e: for (;;) { break d }
console.log("done");
