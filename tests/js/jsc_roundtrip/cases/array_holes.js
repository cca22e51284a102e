var a = [, 1, , 2, ,]; console.log(a.length, 0 in a, 1 in a, JSON.stringify(a)); var b = [,]; console.log(b.length); var c = [,,]; console.log(c.length);
