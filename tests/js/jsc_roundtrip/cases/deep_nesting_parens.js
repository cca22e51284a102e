var x = ((((((((((1)))))))))); var y = [[[[[[[[[[2]]]]]]]]]]; console.log(x, JSON.stringify(y));
