// input: {"bookings": [{"id": "a", "from": "2024-05-01", "to": "2024-05-05"}, {"id": "b", "from": "2024-05-04", "to": "2024-05-08"}, {"id": "c", "from": "2024-05-09", "to": "2024-05-10"}]}
function main({ bookings }) {
  const ms = (s) => Date.parse(s + 'T00:00:00Z');
  const conflicts = [];
  for (let i = 0; i < bookings.length; i++) {
    for (let j = i + 1; j < bookings.length; j++) {
      const [a, b] = [bookings[i], bookings[j]];
      if (ms(a.from) <= ms(b.to) && ms(b.from) <= ms(a.to)) conflicts.push(`${a.id}/${b.id}`);
    }
  }
  const nights = bookings.map(({ id, from, to }) => [id, (ms(to) - ms(from)) / 864e5]);
  return { conflicts, nights: Object.fromEntries(nights) };
}
