var re = /\d+(\.\d+)?/g; console.log("1.5 and 22".match(re).join("|"), /[\]\/]/.test("/"), /a\/b/.source, /\u0041/i.test("a"), /(?:x)|(?=y)y|(?!z)w/.test("w"));
