var data = {a: [1, {b: "c"}], d: null, e: true}; console.log(JSON.stringify(JSON.parse(JSON.stringify(data))));
