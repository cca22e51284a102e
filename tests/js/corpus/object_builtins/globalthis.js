function main(input) {
  globalThis.sharedCounter = (globalThis.sharedCounter || 0) + 1;
  var declared = 'v';
  return [typeof globalThis, globalThis.sharedCounter, sharedCounter, typeof globalThis.Math, globalThis.JSON === JSON, typeof globalThis.main];
}
