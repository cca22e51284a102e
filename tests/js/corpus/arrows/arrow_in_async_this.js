async function main(input) {
  const o = {
    v: 7,
    async m() {
      const f = async () => this.v * 2;
      return await f();
    }
  };
  return o.m();
}
