function main(input) {
  return [
    Number.isInteger(5), Number.isInteger(5.5), Number.isInteger('5'), Number.isInteger(Infinity),
    Number.isFinite('1'), isFinite('1'), Number.isNaN('x'), isNaN('x'),
    Number.isSafeInteger(2 ** 53), Number.isSafeInteger(2 ** 53 - 1),
    Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON > 0 && Number.EPSILON < 1e-15,
    Number.parseFloat === parseFloat, Number.parseInt === parseInt, Number.parseInt('0x1f'), Number.parseFloat('3.5e2x')
  ];
}
