var a = 10, g = 2, i = 1;
var r = a / g / i;
var re = /ab+c/gi;
console.log(r, re.test("xABBC"), "a/b".split(/\//).length, 4 / 2 / 1);
