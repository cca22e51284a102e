var re = /[/\]]+/g; console.log("a/]b".replace(re, "-"));
