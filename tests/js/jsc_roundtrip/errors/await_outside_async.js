// error: 2:31: await is only valid in async functions (wrap the code in an async function)
async function f() {} var x = await f();
