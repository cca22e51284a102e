// stack-has: main.js:8:13
// message-has: Error: load failed: users
async function main(input) {
  const load = async (what) => {
    await null;
    await Promise.resolve(what);
    if (what === 'users')
      throw new Error(`load failed: ${what}`);
    return what;
  };
  await load('teams');
  return await load('users');
}
