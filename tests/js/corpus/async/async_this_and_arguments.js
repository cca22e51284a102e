async function main(input) {
  const o = {
    k: 'K',
    async m() {
      const inner = async () => this.k + arguments.length;
      return inner();
    }
  };
  return o.m(1, 2);
}
