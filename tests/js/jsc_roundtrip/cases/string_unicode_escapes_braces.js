console.log("\u{0}".length, "\u{10FFFF}".length, "\u{0041}", "\u{1F4A9}".codePointAt(0).toString(16));
