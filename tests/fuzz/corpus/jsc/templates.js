// input: {"name": "Ada", "n": 3}
function main(input) {
  const { name, n } = input;
  return `Hello, ${name}! You have ${n} new ${n === 1 ? 'message' : 'messages'}.`;
}
