class MyErr extends Error {}
function main(input) {
  const e = new MyErr("bad thing");
  return [e.message, e.name, e instanceof MyErr, e instanceof Error, String(e).split("\n")[0], Object.keys(e).length];
}
