// input: {"start": "2024-02-27T10:00:00Z", "days": 3}
function main({ start, days }) {
  const DAY = 24 * 60 * 60 * 1000;
  const d = new Date(start);
  const end = new Date(d.getTime() + days * DAY);
  const leap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return {
    end: end.toISOString(),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][end.getUTCDay()],
    month: end.getUTCMonth() + 1,
    isLeap: leap(d.getUTCFullYear()),
    diffDays: Math.round((Date.UTC(2024, 11, 25) - d.getTime()) / DAY)
  };
}
