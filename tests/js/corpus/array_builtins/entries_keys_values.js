function main(input) {
  const a = ['a', , 'c'];
  return { keys: [...a.keys()], values: [...a.values()], entries: [...a.entries()], objectKeys: Object.keys(a) };
}
