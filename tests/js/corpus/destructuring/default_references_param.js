function main(input) {
  const f = (a, { b = a * 2 } = {}, [c = b + 1] = []) => [a, b, c];
  return [f(1), f(1, { b: 5 }), f(1, {}, [0])];
}
