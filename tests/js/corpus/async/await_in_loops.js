async function main(input) {
  const delay = (v) => new Promise((res) => res(v));
  const out = [];
  for (let i = 0; i < 3; i++) out.push(await delay(i));
  let j = 0;
  while (j < 2) out.push(await delay('w' + j++));
  for (const x of ['a', 'b']) out.push(await x);
  return out;
}
