// input: {"settings": {"theme": null, "size": 0}}
function main(input) {
  const s = input.settings;
  return {
    theme: s?.theme ?? 'light',
    size: s?.size ?? 12,
    lang: s?.lang?.code ?? 'en',
    nothing: input.nope?.deep ?? 'fallback'
  };
}
