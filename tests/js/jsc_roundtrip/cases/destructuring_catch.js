try { throw {code: 7, msg: "m"} } catch ({code, msg: m}) { console.log(code, m) } try { throw [1, 2] } catch ([x, y]) { console.log(x + y) }
