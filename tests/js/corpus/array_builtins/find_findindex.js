// input: {"users": [{"id": 1, "active": false}, {"id": 2, "active": true}, {"id": 3, "active": true}]}
function main(input) {
  const u = input.users;
  return [u.find((x) => x.active), u.findIndex((x) => x.active), u.find((x) => x.id > 5) === undefined, u.findIndex((x) => x.id > 5), [NaN].findIndex(Number.isNaN)];
}
