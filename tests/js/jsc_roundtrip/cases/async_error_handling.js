async function f() { throw new Error("boom") } async function g() { try { await f() } catch (e) { return "caught " + e.message } } g().then(console.log);
