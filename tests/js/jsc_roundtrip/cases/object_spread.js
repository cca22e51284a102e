var a = {x: 1, y: 2}; var b = {...a, y: 3, ...null, ...{z: 4}}; console.log(JSON.stringify(b));
