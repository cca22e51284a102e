// error: import
// at: 4:21
async function main(input) {
  const mod = await import('./helper.js');
  return mod.value;
}
