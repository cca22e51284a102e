var a = true ? .5 : 0; var b = null?.5:1; console.log(a, b);
