var let = [1, 2]; (let)[0] = 5; console.log(let[0]);
