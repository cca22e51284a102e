async function* gen() { yield 1; yield 2 } async function f() { var s = 0; for await (const x of gen()) s += x; for await (let y of [Promise.resolve(3)]) s += y; return s } f().then(console.log);
