for (const x of [1, 2]) { const y = x * 2; console.log(y) }
