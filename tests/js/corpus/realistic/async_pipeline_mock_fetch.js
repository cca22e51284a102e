// input: {"ids": [3, 1, 2]}
async function main({ ids }) {
  const db = { 1: { name: 'ann', team: 't1' }, 2: { name: 'bob', team: 't2' }, 3: { name: 'cy', team: 't1' } };
  const teams = { t1: 'Red', t2: 'Blue' };
  const calls = [];
  const fakeFetch = async (url) => {
    calls.push(url);
    await null;
    const [, kind, id] = url.split('/');
    const body = kind === 'users' ? db[id] : { name: teams[id] };
    if (!body) throw new Error('404 ' + url);
    return { ok: true, json: async () => body };
  };
  const users = await Promise.all(ids.map(async (id) => ({ id, ...(await (await fakeFetch(`/users/${id}`)).json()) })));
  const teamIds = [...new Set(users.map((u) => u.team))];
  const teamNames = Object.fromEntries(await Promise.all(teamIds.map(async (t) => [t, (await (await fakeFetch(`/teams/${t}`)).json()).name])));
  return { users: users.map(({ id, name, team }) => `${id}:${name}@${teamNames[team]}`), calls };
}
