function main(input) {
  try { 'abc'.includes(/b/); return 'no error'; } catch (e) { return e instanceof TypeError; }
}
