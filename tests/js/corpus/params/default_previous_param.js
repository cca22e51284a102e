function main(input) {
  const greet = (name, greeting = 'Hi', msg = `${greeting}, ${name}!`) => msg;
  return [greet('Ann'), greet('Bo', 'Hey'), greet('Cy', undefined, 'custom')];
}
