// error: import
// at: 4:1
const before = 1;
import lib from './lib.js';
function main(input) {
  return lib(before);
}
