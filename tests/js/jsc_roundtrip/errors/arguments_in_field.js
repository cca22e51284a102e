// error: 2:15: 'arguments' is not allowed in class field initializer
class A { x = arguments; }
