function main(input) {
  const grid = new Array(2).fill([]);
  grid[0].push('x');
  const good = Array.from({ length: 2 }, () => []);
  good[0].push('x');
  return { grid, good };
}
