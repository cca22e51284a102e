for (let [a, b] in {xy: 1}) console.log(a, b); for (const k in [7, 8]) console.log(k);
