async function main(input) {
  const deferred = () => { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };
  const d1 = deferred(), d2 = deferred();
  setLater(() => d2.resolve('second'));
  setLater(() => d1.reject(new Error('first failed')));
  function setLater(fn) { Promise.resolve().then(fn); }
  const r = await Promise.allSettled([d1.promise, d2.promise]);
  return r.map((x) => x.status + ':' + (x.value || x.reason.message));
}
