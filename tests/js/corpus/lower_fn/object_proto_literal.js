function main(input) {
  const parent = { hello() { return "hi from parent"; } };
  const child = { __proto__: parent, x: 1 };
  const notProto = { ["__proto__"]: 5 };
  return [child.hello(), Object.getPrototypeOf(child) === parent, Object.keys(child),
          Object.keys({ __proto__: null, y: 2 }), Object.keys(notProto)];
}
