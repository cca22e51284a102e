var a, b; var r = ({a, b} = {a: 1, b: 2}); var s = [a, b] = [3, 4]; console.log(JSON.stringify(r), s.join(), a, b);
