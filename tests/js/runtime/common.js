// Shared by both engines (ES5): out(v) records a value; results() is the record as JSON,
// with values JSON cannot hold (NaN, -0, Infinity, undefined, functions) spelled out.
var $log = [];
function $enc(v, depth) {
    if (typeof v === "number") {
        if (v !== v) return "<NaN>";
        if (v === 0 && 1 / v < 0) return "<-0>";
        if (v === Infinity || v === -Infinity) return "<" + v + ">";
        return v;
    }
    if (v === undefined) return "<undefined>";
    if (typeof v === "function") return "<function>";
    if (typeof v === "symbol") return "<" + String(v) + ">";
    if (v === null || typeof v !== "object") return v;
    if (depth > 8) return "<deep>";
    if (v instanceof Error) return "<" + v.name + ": " + v.message + ">";
    var o, k;
    if (v instanceof Array) {
        o = [];
        for (k = 0; k < v.length; k++) o.push($enc(v[k], depth + 1));
        return o;
    }
    o = {};
    var keys = Object.keys(v);
    for (k = 0; k < keys.length; k++) o[keys[k]] = $enc(v[keys[k]], depth + 1);
    return o;
}
function out() {
    var a = [];
    for (var i = 0; i < arguments.length; i++) a.push($enc(arguments[i], 0));
    $log.push(a.length === 1 ? a[0] : a);
}
// Runs f and records what it threw: its constructor name (messages differ between engines
// unless `withMessage`).
function throws(f, withMessage) {
    try {
        f();
        out("<no throw>");
    } catch (e) {
        out(e && e.name ? (withMessage ? e.name + ": " + e.message : e.name) : "<thrown " + String(e) + ">");
    }
}
// A string as its UTF-16 code units (the MuJS shell prints lone and paired surrogates in
// its own encoding, so strings with astral characters are compared this way).
function units(s) {
    var a = [];
    for (var i = 0; i < s.length; i++) a.push(s.charCodeAt(i));
    return a.join(",");
}
// A result of a transcendental function to 12 significant digits: the runtime's versions
// are within an ulp or two of the C library's, not bit-identical.
function r12(x) { return typeof x === "number" && x === x && x !== Infinity && x !== -Infinity && x !== 0 ? (x < 0 ? -1 : 1) * Number(Math.abs(x).toPrecision(12)) : x; }
