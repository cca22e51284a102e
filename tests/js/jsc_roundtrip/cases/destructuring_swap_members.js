var o = {x: 1, y: 2}; [o.x, o.y] = [o.y, o.x]; var arr = [1, 2]; [arr[1], arr[0]] = arr; console.log(o.x, o.y, arr.join());
