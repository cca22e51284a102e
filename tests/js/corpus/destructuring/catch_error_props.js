function main(input) {
  try {
    throw new RangeError('too big');
  } catch ({ name, message }) {
    return name + ': ' + message;
  }
}
