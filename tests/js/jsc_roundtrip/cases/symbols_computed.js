var s = Symbol("s"); var o = {[s]: 1, [Symbol.toStringTag]: "Tag"}; console.log(o[s], String(o));
