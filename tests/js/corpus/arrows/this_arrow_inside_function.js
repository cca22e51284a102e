function main(input) {
  function Timer() {
    this.ticks = 0;
    const tick = () => { this.ticks++; return this; };
    tick(); tick();
    const again = () => [1, 2, 3].map(() => tick().ticks);
    this.seen = again();
  }
  const t = new Timer();
  return { ticks: t.ticks, seen: t.seen };
}
