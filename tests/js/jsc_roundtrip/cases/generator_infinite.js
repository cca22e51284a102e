function* nat() { let n = 0; while (true) yield n++ } var out = []; for (const v of nat()) { if (v > 3) break; out.push(v) } console.log(out.join());
