var a = [/a/, /b/g]; var o = {r: /c/}; var f = () => /d/; var t = true ? /e/ : /f/; console.log(a.length, o.r.source, f().source, t.source, typeof /g/ === "object", !/h/.test("x"));
