// Parameter defaults see the scope outside the body: a body variable of the same name (var,
// let, const or function) is a different variable, also for closures made by a default.
const x = 'outer';
function g() { return 'outer g'; }
function viaVar(a = x) { var x = 'body'; return [a, x]; }
function viaClosure(read = () => x) { let x = 'body'; return [read(), x]; }
function viaFunction(h = () => g()) { function g() { return 'body g'; } return [h(), g()]; }
function seesParams(a, b = () => a) { a = 'reassigned'; return [b(), a]; }
const arrow = (f = () => x) => { const x = 'arrow body'; return [f(), x]; };
function main(input) {
  return [viaVar(), viaClosure(), viaFunction(), seesParams('param'), arrow()];
}
