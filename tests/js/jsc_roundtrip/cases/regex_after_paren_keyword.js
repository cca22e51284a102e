var x = 1; if (/a/.test("a")) console.log("yes"); console.log(typeof /x/, [/a/, /b/].length); function f() { return /z/.source } console.log(f());
