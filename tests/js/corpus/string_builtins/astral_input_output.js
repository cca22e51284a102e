// input: {"text": "go 🚀 now 𝄞", "plain": "abc"}
function main(input) {
  const t = input.text;
  console.log('log line with', t, { t });
  return {
    text: t, length: t.length, points: [...t].length, code: t.codePointAt(3), high: t.charCodeAt(3),
    same: t === 'go 🚀 now 𝄞', sliced: t.slice(3, 5), made: String.fromCodePoint(0x1F600) + t.slice(-2),
    loneLength: t.slice(3, 4).length, upper: t.toUpperCase(), keys: Object.keys({ ['🚀']: 1 })
  };
}
