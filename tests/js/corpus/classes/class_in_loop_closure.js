function main(input) {
  const classes = [];
  for (let i = 0; i < 3; i++) {
    classes.push(class { id() { return i; } });
  }
  return classes.map((C) => new C().id());
}
