function tag(s, ...v) { return s.raw.join("|") + "/" + s.join("|") + "/" + v.join(","); }
console.log(tag`a${1}b${2}c`, tag`\n\x41`, String.raw`\u{41}\n`, tag``);
