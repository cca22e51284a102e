var out = []; for (let i = 0; i < 2; i++) { function g() { return i } out.push(g()) } console.log(out.join());
