function main(input) {
  const Account = (() => {
    const balances = new WeakMap();
    return class Account {
      constructor(b) { balances.set(this, b); }
      deposit(n) { balances.set(this, balances.get(this) + n); return this; }
      get balance() { return balances.get(this); }
    };
  })();
  const a = new Account(10).deposit(5);
  return [a.balance, Object.keys(a).length];
}
