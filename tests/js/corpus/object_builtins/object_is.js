function main(input) {
  return [Object.is(NaN, NaN), Object.is(0, -0), Object.is(-0, -0), Object.is('a', 'a'), Object.is({}, {}), NaN === NaN, 0 === -0];
}
