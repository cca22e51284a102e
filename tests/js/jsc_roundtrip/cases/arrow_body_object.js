var f = () => ({}).toString(); var g = () => ({a: 1}.a); console.log(f(), g());
