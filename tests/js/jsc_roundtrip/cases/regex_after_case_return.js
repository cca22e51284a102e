function f(x) { switch (x) { case /a/.source: return /b/.source } return /c/.source } console.log(f("a"), f("z"));
