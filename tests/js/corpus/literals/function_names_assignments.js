// Only assignments to a name, declarations and property keys name a function; obj[k] = fn does not.
function main(input) { const o = {}; o['x'] = function () {}; const p = { m() { return 1; } }; let q; q = () => 2; return [o.x.name, p.m.name, p.m(), q.name]; }
