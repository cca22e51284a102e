// input: {"s": "Hello, World"}
function main(input) {
  const { s } = input;
  return [s.includes('World'), s.includes('world'), s.includes('o', 8), s.startsWith('Hell'), s.startsWith('World', 7), s.endsWith('World'), s.endsWith('Hello', 5), ''.includes('')];
}
