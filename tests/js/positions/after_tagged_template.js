// stack-has: main.js:10:11
// message-has: SyntaxError: unterminated
function main(input) {
  const tag = (s, ...v) => s.raw.join('|') + v.join();
  const sql = tag`
    SELECT *
    FROM t
    WHERE id = ${42}`;
  if (sql.length)
  { throw new SyntaxError('unterminated'); }
  return sql;
}
