class C { constructor() { this.v = 2 } async m() { const f = async () => (await this.v) * 2; return f() } } new C().m().then(console.log);
