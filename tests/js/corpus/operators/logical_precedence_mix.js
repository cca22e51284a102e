function main(input) {
  const a = null, b = 0;
  return [(a ?? b) || 'or', a ?? (b || 'inner'), (a || b) ?? 'n', !(a ?? true)];
}
