function main(input) {
  const fact = (n) => (n <= 1 ? 1 : n * fact(n - 1));
  const fib = (n) => { let a = 0, b = 1; for (let i = 0; i < n; i++) [a, b] = [b, a + b]; return a; };
  return [fact(10), fib(30)];
}
