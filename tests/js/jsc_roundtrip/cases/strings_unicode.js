console.log("héllo wörld", "日本語", "😀".length, "\uD83D\uDE00" === "😀", "\u2028\u2029".length, "a\u00A0b");
