var a = [1, 2]; var b = [0, ...a, 3, ...[4, 5], ..."ab"]; console.log(b.join(","));
