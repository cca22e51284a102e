// input: {"present": 0}
function main(input) {
  let evals = 0;
  const f = (v) => { evals++; return v; };
  const z = 0, e = "", n = null, u = undefined, fl = false;
  return [z ?? 1, e ?? "x", n ?? "n", u ?? "u", fl ?? true, f(null) ?? f(2), evals, (n ?? u) ?? 3,
          input.missing ?? "dflt", input.present ?? "no"];
}
