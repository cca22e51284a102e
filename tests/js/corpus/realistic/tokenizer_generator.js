// input: {"expr": "3 + 4 * (2 - 1) ** 2"}
function main({ expr }) {
  function* tokens(s) {
    let i = 0;
    while (i < s.length) {
      const ch = s[i];
      if (ch === ' ') { i++; continue; }
      if (/\d/.test(ch)) { let j = i; while (j < s.length && /\d/.test(s[j])) j++; yield { t: 'num', v: Number(s.slice(i, j)) }; i = j; continue; }
      if (s.startsWith('**', i)) { yield { t: 'op', v: '**' }; i += 2; continue; }
      yield { t: 'op', v: ch }; i++;
    }
  }
  const toks = [...tokens(expr)];
  let pos = 0;
  const peek = () => toks[pos]?.v;
  const primary = () => { const t = toks[pos++]; if (t.v === '(') { const v = add(); pos++; return v; } return t.v; };
  const power = () => { const b = primary(); if (peek() === '**') { pos++; return b ** power(); } return b; };
  const mul = () => { let v = power(); while (peek() === '*' || peek() === '/') { const op = toks[pos++].v; const r = power(); v = op === '*' ? v * r : v / r; } return v; };
  const add = () => { let v = mul(); while (peek() === '+' || peek() === '-') { const op = toks[pos++].v; const r = mul(); v = op === '+' ? v + r : v - r; } return v; };
  return { tokens: toks.length, value: add() };
}
