var f = () => (1, 2); console.log(f());
