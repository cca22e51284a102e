async function main(input) {
  const r = await Promise.allSettled([Promise.resolve(1), Promise.reject(new TypeError('t')), 3]);
  return r.map((x) => (x.status === 'fulfilled' ? x : { status: x.status, reason: x.reason.name + ':' + x.reason.message }));
}
