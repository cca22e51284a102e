({a: 1}).a; ({}).toString(); var r = ({x: 2}).x; console.log(r); ({ b: console.log("obj stmt") });
