// input: {"k": 2}
function main(input) {
  let out;
  switch (input.k) {
    case 1: {
      let msg = 'one';
      out = msg;
      break;
    }
    case 2: {
      let msg = 'two';
      out = () => msg;
      break;
    }
  }
  return out();
}
