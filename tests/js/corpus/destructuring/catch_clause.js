function main(input) {
  try {
    throw { code: 42, detail: { msg: 'boom' } };
  } catch ({ code, detail: { msg }, extra = 'none' }) {
    return { code, msg, extra };
  }
}
