console.log(1..toString(), 1.5.toFixed(2), (1).toString(2), 0x10.toString(), 1e3.toString());
