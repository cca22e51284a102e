function main(input) {
  return [String.raw`C:\new\table`, String.raw`${1 + 1}\n${'x'}`, String.raw({ raw: ['a', 'b', 'c'] }, 1, 2, 3), String.raw({ raw: 'xyz' }, '-', '+')];
}
