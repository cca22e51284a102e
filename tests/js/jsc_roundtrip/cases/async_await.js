async function f() { var a = await 1; var b = await Promise.resolve(2); return a + b } f().then(v => console.log("sum", v));
var g = async function () { return await f() * 2 }; g().then(v => console.log("g", v));
