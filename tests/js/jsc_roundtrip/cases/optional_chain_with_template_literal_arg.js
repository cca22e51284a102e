var o = { f: s => s }; console.log(o?.f(`x${1}`));
