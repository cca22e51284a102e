// input: {"config": {"server": {"port": 8080}}}
function main(input) {
  const {
    config: {
      server: { host = 'localhost', port = 80, tls: { enabled = false } = {} } = {},
      db: { name: dbName = 'main' } = {}
    } = {}
  } = input;
  return { host, port, enabled, dbName };
}
