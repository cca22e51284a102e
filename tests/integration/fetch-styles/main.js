// Every way task authors call fetch: the original synchronous style and the promise style.
async function main({ id = 7 }) {
  const url = `https://api.example.test/objects/${id}`;
  const sync = fetch(url).body.name;
  const r = await fetch(url);
  const awaited = (await r.json()).name;
  const text = await (await fetch(url)).text();
  const viaThen = await fetch(url).then((res) => res.json()).then((d) => d.name);
  const all = await Promise.all([1, 2].map((n) => fetch(`${url}?n=${n}`).then((x) => x.status)));
  let caught = null;
  try {
    await fetch('https://api.example.test/missing');
  } catch (e) {
    caught = `${e.name} ${e.status}`;
  }
  const chained = await fetch('https://api.example.test/missing')
    .then(() => 'resolved')
    .catch((e) => `${e.name} via catch`);
  let syncCaught = null;
  try {
    fetch('https://api.example.test/missing');
  } catch (e) {
    syncCaught = e instanceof HttpError;
  }
  return { sync, awaited, text: JSON.parse(text).name, viaThen, all, ok: r.ok, caught, chained, syncCaught };
}
