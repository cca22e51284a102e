(class {}).name; (class A { static m() { console.log("class stmt") } }).m();
