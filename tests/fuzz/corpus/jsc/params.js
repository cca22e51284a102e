function main(input) {
  function f(a, b = 10) { a = 99; return [arguments.length, arguments[0], b]; }
  return f(1);
}
