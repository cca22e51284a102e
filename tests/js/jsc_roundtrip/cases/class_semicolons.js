class C { ; m() { return 1 }; ; static n() { return 2 }; } console.log(new C().m(), C.n());
