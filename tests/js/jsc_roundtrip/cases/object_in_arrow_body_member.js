var f = () => ({a: 1}).a; var g = () => ({}); var h = () => [{}]; console.log(f(), typeof g(), h().length);
