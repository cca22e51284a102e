console.log((() => 5)(), (x => x * x)(3), (async () => 1)() instanceof Promise);
