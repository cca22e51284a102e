var f = null || (() => 5); var g = (() => 6) || null; console.log(f(), g());
