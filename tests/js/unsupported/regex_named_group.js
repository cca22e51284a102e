// error: named capture group
// at: 4:14
function main(input) {
  const m = /(?<year>\d{4})-(?<month>\d{2})/.exec('2024-05');
  return m.groups.year;
}
