function main(input) {
  const fns = [];
  outer: for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      if (j === i) continue outer;
      fns.push(() => '' + i + j);
    }
  }
  return fns.map((f) => f());
}
