async function main(input) {
  const steps = [];
  const v = await Promise.resolve(1)
    .then((x) => { steps.push(x); return x + 1; })
    .then((x) => { steps.push(x); return Promise.resolve(x * 10); })
    .then((x) => { steps.push(x); return { then(r) { r(x + 5); } }; });
  return { v, steps };
}
