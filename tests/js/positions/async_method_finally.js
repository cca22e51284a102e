// stack-has: main.js:10:31
// message-has: TypeError: closed
async function main(input) {
  const log = [];
  const conn = {
    open: true,
    async query(q) {
      try {
        await null;
        if (!this.open) throw new TypeError('closed');
        return q;
      } finally {
        log.push('done');
      }
    }
  };
  await conn.query('a');
  conn.open = false;
  return conn.query('b');
}
