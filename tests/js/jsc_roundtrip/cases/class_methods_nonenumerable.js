class C { m() {} static s() {} } console.log(Object.keys(C.prototype).length, Object.keys(C).length, typeof C);
