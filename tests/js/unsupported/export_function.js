// error: export
// at: 3:1
export function main(input) {
  return { ok: true };
}
