function main(input) {
  const s = 'price: 10 USD, tax: 2 USD';
  return s.replace(/(\d+) USD/g, (m, n, offset) => `${n * 2} EUR@${offset}`);
}
