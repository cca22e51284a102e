function main(input) {
  const m = 'dyn';
  let i = 0;
  class K {
    [m + 'amic']() { return 'dynamic'; }
    ['x' + (++i)]() { return 'x1'; }
    static ['s' + (++i)]() { return 's2'; }
    get [m]() { return 'getter'; }
  }
  const k = new K();
  return [k.dynamic(), k.x1(), K.s2(), k.dyn, i];
}
