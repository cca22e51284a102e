// error: 2:11: private class members (#x) are not supported (ES2022)
class A { #x = 1; }
