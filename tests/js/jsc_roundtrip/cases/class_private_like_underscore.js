class C { _x = 1; get x() { return this._x } } console.log(new C().x);
