// stack-has: main.js:5:38
// stack-has: main.js:6:38
// message-has: Error: port is required
function main(input) {
  const required = (what) => { throw new Error(`${what} is required`); };
  const { host = 'localhost', port = required('port') } = input;
  return { host, port };
}
