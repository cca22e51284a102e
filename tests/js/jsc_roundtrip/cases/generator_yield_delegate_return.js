function* inner() { yield "i"; return "ret" } function* outer() { const r = yield* inner(); yield r } console.log([...outer()].join());
