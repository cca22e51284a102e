function main(input) {
  const obj = { name: 'o', inner: { name: 'inner', who() { return this.name; } } };
  return [obj?.inner.who(), obj.inner?.who(), obj.inner.who?.(), (obj?.inner).who()];
}
