class C { static static() { return "s" } static get get() { return "g" } static async async() { return "a" } get() { return "m" } set(v) { return v } }
console.log(C.static(), C.get, new C().get(), new C().set(5)); C.async().then(console.log);
