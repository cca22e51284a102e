// stack-has: main.js:12:11
// message-has: Error: report too long
function main(input) {
  const name = 'Ada';
  const report = `Report for ${name}:
  line one
  line two ${1 + 1}
  line three
`;
  const lines = report.split('\n');
  if (lines.length > 3)
    throw new Error('report too long');
  return report;
}
