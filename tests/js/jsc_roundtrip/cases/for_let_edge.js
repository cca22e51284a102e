var let_arr = []; for (let in {a: 1}) let_arr.push(let); console.log(let_arr.join());
