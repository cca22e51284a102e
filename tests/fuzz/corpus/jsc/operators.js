function main(input) {
  let undeclaredType = typeof notDeclaredAnywhere;
  return [undeclaredType, void 0 === undefined, typeof null, typeof (() => {}), typeof Symbol(), typeof class {}];
}
