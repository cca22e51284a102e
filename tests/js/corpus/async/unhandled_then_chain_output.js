function main(input) {
  return new Promise((resolve) => resolve(1))
    .then((x) => x + 1)
    .then((x) => { throw new Error('mid ' + x); })
    .then(() => 'skipped')
    .catch((e) => e.message)
    .finally(() => 'ignored')
    .then((m) => ({ m }));
}
