function main(input) {
  const users = [{ id: 1 }, { id: 2 }];
  const visits = new Map();
  for (const u of [users[0], users[1], users[0], users[0]]) visits.set(u, (visits.get(u) || 0) + 1);
  return [...visits].map(([u, n]) => [u.id, n]);
}
