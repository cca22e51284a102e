function main(input) {
  const safeParse = (s) => { try { return JSON.parse(s); } catch { return null; } };
  return [safeParse('{"a":1}'), safeParse('nope'), safeParse('[1,2]')];
}
