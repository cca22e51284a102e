async function main(input) {
  const log = [];
  Promise.resolve().then(() => {
    log.push('outer');
    Promise.resolve().then(() => log.push('nested'));
  }).then(() => log.push('outer next'));
  Promise.resolve().then(() => log.push('sibling'));
  for (let i = 0; i < 4; i++) await null;
  return log;
}
