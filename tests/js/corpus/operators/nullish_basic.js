// input: {"zero": 0, "empty": "", "f": false, "nil": null}
function main(input) {
  const { zero, empty, f, nil, missing } = input;
  return [zero ?? 'd', empty ?? 'd', f ?? 'd', nil ?? 'd', missing ?? 'd', zero || 'd', NaN ?? 'd'];
}
