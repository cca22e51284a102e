outer: for (var i = 0; i < 2; i++) { inner: { if (i === 0) break inner; console.log("i", i) } continue outer; }
console.log("end");
