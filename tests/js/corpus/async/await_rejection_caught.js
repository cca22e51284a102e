async function main(input) {
  async function fail() { throw new RangeError('nope'); }
  try {
    await fail();
    return 'unreachable';
  } catch (e) {
    return { name: e.name, message: e.message };
  }
}
