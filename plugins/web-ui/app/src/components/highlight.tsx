// A small JavaScript highlighter: one pass of a sticky regular expression splits the source
// into comments, strings (template literals included, without nesting), numbers, keywords,
// identifiers and the rest; each token becomes a span with a class (colours are in CSS).
// It does not parse: a `/` is never read as the start of a regular expression literal.
import type { VNode } from "preact";

const KEYWORDS = new Set(
  (
    "async await break case catch class const continue debugger default delete do else export " +
    "extends finally for from function if import in instanceof let new of return static super switch " +
    "this throw try typeof var void while with yield"
  ).split(" "),
);
const LITERALS = new Set(["true", "false", "null", "undefined", "NaN", "Infinity"]);

const TOKEN = new RegExp(
  [
    /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))/.source, // 1 comment
    /("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\[\s\S])*`?)/.source, // 2 string
    /(\b(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?n?|\.\d+(?:[eE][+-]?\d+)?)\b)/.source, // 3 number
    /([A-Za-z_$][\w$]*)/.source, // 4 word
    /(\s+|[^\sA-Za-z_$\d"'`\/]+|\/)/.source, // 5 other
  ].join("|"),
  "y",
);

export type Token = { cls: string; text: string };

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) {
      out.push({ cls: "", text: src[at] });
      TOKEN.lastIndex = at + 1;
      continue;
    }
    let cls = "";
    if (m[1] !== undefined) cls = "tok-com";
    else if (m[2] !== undefined) cls = "tok-str";
    else if (m[3] !== undefined) cls = "tok-num";
    else if (m[4] !== undefined) {
      const next = src.slice(TOKEN.lastIndex).match(/^\s*\(/);
      cls = KEYWORDS.has(m[4]) ? "tok-kw" : LITERALS.has(m[4]) ? "tok-lit" : next ? "tok-fn" : "";
    }
    const prev = out[out.length - 1];
    if (prev && prev.cls === cls && cls === "") prev.text += m[0];
    else out.push({ cls, text: m[0] });
  }
  return out;
}

export function Code({ source, label }: { source: string; label: string }) {
  const nodes: (VNode | string)[] = tokenize(source).map((t, i) =>
    t.cls ? (
      <span key={i} class={t.cls}>
        {t.text}
      </span>
    ) : (
      t.text
    ),
  );
  return (
    <pre class="code" tabIndex={0} aria-label={label} data-testid="source">
      <code>{nodes}</code>
    </pre>
  );
}
