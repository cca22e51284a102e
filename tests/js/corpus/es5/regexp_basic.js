// input: {"text": "2024-01-15 and 2023-12-31"}
function main(input) {
  var re = /(\d{4})-(\d{2})-(\d{2})/g;
  var m, out = [];
  while ((m = re.exec(input.text)) !== null) out.push([m[1], m[2], m[3], m.index]);
  return { matches: out, replaced: input.text.replace(/(\d{4})-(\d{2})-(\d{2})/g, '$3/$2/$1'), split: 'a, b,c'.split(/,\s*/) };
}
