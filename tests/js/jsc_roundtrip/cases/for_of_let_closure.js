var fs = []; for (let i of [1, 2, 3]) fs.push(() => i); console.log(fs.map(f => f()).join()); var gs = []; for (let i = 0; i < 3; i++) gs.push(() => i); console.log(gs.map(f => f()).join());
