function main(input) {
  const boxed = new Number('0b11');
  return [
    Number('0b101'), Number(' 0o17 '), Number('0B1'), Number('0O7'), Number('0b2'), Number('0o8'), Number('-0b1'),
    Number('0x1f'), Number(''), Number(), Number(null), Number('12.5'), ['0b1', '0o10', '7'].map(Number),
    typeof boxed, boxed instanceof Number, boxed + 1, (5).constructor === Number, Number.MAX_VALUE > 1e308,
    Number.isInteger(Number('0o10')), Number.length
  ];
}
