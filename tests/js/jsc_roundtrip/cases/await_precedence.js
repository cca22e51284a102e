async function f() { var a = (await 2) ** 2 === 4 ? "ok" : "no"; var b = -await 3; var c = (await 2) ** 2; var d = await 2 * 3; return [a, b, c, d] }
f().then(r => console.log(r.join()));
