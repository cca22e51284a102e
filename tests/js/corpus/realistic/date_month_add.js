// input: {"dates": ["2024-01-31", "2023-12-15", "2024-02-29"]}
function main({ dates }) {
  const addMonths = (iso, n) => {
    const [y, m, d] = iso.split('-').map(Number);
    const target = new Date(Date.UTC(y, m - 1 + n, 1));
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(d, lastDay));
    return target.toISOString().slice(0, 10);
  };
  return dates.map((iso) => ({ iso, plus1: addMonths(iso, 1), plus12: addMonths(iso, 12), minus1: addMonths(iso, -1) }));
}
