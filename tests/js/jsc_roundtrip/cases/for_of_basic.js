for (var x of [1, 2]) console.log(x); for (let c of "hi") console.log(c); for (const [i, v] of ["a", "b"].entries()) console.log(i, v); var it; for (it of new Set([5])) console.log(it);
