var f = x => x * 2; var g = (a, b) => a + b; var h = () => ({a: 1}); var i = async () => 1; var j = async x => x;
console.log(f(2), g(1, 2), h().a, typeof i, typeof j);
