async function f() { return `${await 1}-${await Promise.resolve(2)}` + Math.max(await 3, 0) } f().then(console.log);
