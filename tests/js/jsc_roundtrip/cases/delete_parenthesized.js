var o = {a: 1}; console.log(delete (o.a), "a" in o, delete o["b"]);
