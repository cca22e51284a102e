async function main(input) {
  const p = Promise.resolve(1);
  const same = Promise.resolve(p) === p;
  const rejected = Promise.reject('reason');
  const r = await rejected.catch((x) => 'caught ' + x);
  return { same, r, isPromise: rejected instanceof Promise };
}
