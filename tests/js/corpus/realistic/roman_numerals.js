// input: {"numbers": [1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999]}
function main({ numbers }) {
  const table = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  const toRoman = (n) => table.reduce((acc, [v, s]) => { while (n >= v) { acc += s; n -= v; } return acc; }, '');
  const fromRoman = (r) => { let total = 0; for (const [v, s] of table) while (r.startsWith(s)) { total += v; r = r.slice(s.length); } return total; };
  return numbers.map((n) => { const r = toRoman(n); return [n, r, fromRoman(r) === n]; });
}
