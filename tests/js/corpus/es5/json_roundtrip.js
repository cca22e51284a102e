// input: {"user": {"name": "Ada", "langs": ["en", "fr"], "age": 36}}
function main(input) {
  var copy = JSON.parse(JSON.stringify(input.user));
  copy.age += 1;
  copy.langs.push('de');
  return { before: input.user, after: copy, text: JSON.stringify([1, 'two', null, true]) };
}
