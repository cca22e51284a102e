// input: {"events": [{"type": "open", "id": "acc1", "at": "2024-01-01T00:00:00Z"}, {"type": "deposit", "id": "acc1", "amount": 100}, {"type": "withdraw", "id": "acc1", "amount": 30}, {"type": "open", "id": "acc2", "at": "2024-01-02T00:00:00Z"}, {"type": "deposit", "id": "acc2", "amount": 5}, {"type": "close", "id": "acc2"}]}
function main({ events }) {
  const handlers = {
    open: (s, { id, at }) => ({ ...s, [id]: { balance: 0, open: true, since: new Date(at).getUTCDate() } }),
    deposit: (s, { id, amount }) => ({ ...s, [id]: { ...s[id], balance: s[id].balance + amount } }),
    withdraw: (s, { id, amount }) => ({ ...s, [id]: { ...s[id], balance: s[id].balance - amount } }),
    close: (s, { id }) => ({ ...s, [id]: { ...s[id], open: false } })
  };
  return events.reduce((s, e) => handlers[e.type]?.(s, e) ?? s, {});
}
