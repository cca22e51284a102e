// input: {"user": {"profile": {"name": "Ada"}, "tags": ["x"]}}
function main(input) {
  const u = input.user, none = null;
  return [u?.profile?.name, u?.missing?.name, none?.a.b.c, u?.tags?.[0], u?.tags?.[5], none?.[0], u.profile?.['name']];
}
