(async function () { var x = await (async () => 3)(); var y = await new Promise(r => setTimeout(() => r(4), 1)); console.log(x + y) })();
