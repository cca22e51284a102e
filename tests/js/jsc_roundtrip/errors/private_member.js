// error: 2:29: private class members (#x) are not supported (ES2022)
class A { m() { return this.#x } }
