function main(input) {
  return Promise.resolve({ ok: true }).then((v) => ({ ...v, chained: 1 }));
}
