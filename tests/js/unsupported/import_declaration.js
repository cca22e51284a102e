// error: import
// at: 3:1
import { readFile } from 'fs';
function main(input) {
  return readFile;
}
