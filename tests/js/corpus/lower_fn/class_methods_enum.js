class A { m() {} static s() {} get g() { return 1; } }
function main(input) {
  const keys = [];
  for (const k in new A()) keys.push(k);
  const sk = [];
  for (const k in A) sk.push(k);
  return [keys, sk, Object.keys(A.prototype), Object.getOwnPropertyNames(A.prototype).sort(),
          A.prototype.propertyIsEnumerable("constructor")];
}
