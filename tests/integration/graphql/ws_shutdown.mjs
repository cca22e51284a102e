// tests/integration/graphql/ws_shutdown.mjs - a WebSocket subscription open while the server
// stops: prints "subscribed" once the first result came, then what the server sends at the end
// ("complete" for the subscription, "close CODE REASON" for the connection).
//   node ws_shutdown.mjs WS_URL KEY
import WebSocket from 'ws';

const [url, key] = process.argv.slice(2);
const ws = new WebSocket(url, 'graphql-transport-ws');
ws.on('open', () => {
  ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${key}` } }));
  ws.send(JSON.stringify({ type: 'subscribe', id: 'w',
    payload: { query: 'subscription { workerStatus { worker { id } } }' } }));
});
let first = true;
ws.on('message', (d) => {
  const m = JSON.parse(d.toString());
  if (m.type === 'next' && first) { first = false; console.log('subscribed'); }
  if (m.type === 'complete') console.log(`complete ${m.id}`);
});
ws.on('close', (code, reason) => { console.log(`close ${code} ${reason}`); process.exit(0); });
ws.on('error', (e) => { console.log(`error ${e.message}`); process.exit(1); });
setTimeout(() => { console.log('timeout'); process.exit(1); }, 30000);
