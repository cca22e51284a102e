function main(input) {
  let calls = 0;
  const src = { get g() { calls++; return 'got'; }, plain: 1 };
  const copy = { ...src };
  const desc = Object.getOwnPropertyDescriptor(copy, 'g');
  return { copy, calls, isData: 'value' in desc, afterRead: (copy.g, calls) };
}
