// module: math
// triggers: trunc sign cbrt log2 log10 hypot expm1 log1p fround clz32 imul
// defines: Math.trunc Math.sign Math.cbrt Math.log2 Math.log10 Math.hypot Math.expm1 Math.log1p Math.fround Math.clz32 Math.imul
//
// Math.trunc/sign/cbrt/log2/log10/hypot/expm1/log1p/fround/clz32/imul.
(function () {
    "use strict";
    function def(k, v) {
        Object.defineProperty(Math, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    def("trunc", function trunc(x) { x = +x; return x !== x || x === 0 ? x : x < 0 ? Math.ceil(x) : Math.floor(x); });
    def("sign", function sign(x) { x = +x; return x !== x || x === 0 ? x : x > 0 ? 1 : -1; });
    def("cbrt", function cbrt(x) {
        x = +x;
        if (x !== x || x === 0 || x === Infinity || x === -Infinity)
            return x;
        var y = Math.pow(Math.abs(x), 1 / 3);
        y = y - (y * y * y - Math.abs(x)) / (3 * y * y); // one Newton step: exact cubes stay exact
        return x < 0 ? -y : y;
    });
    def("log2", function log2(x) {
        var r = Math.log(x) / Math.LN2, k = Math.round(r);
        return Math.abs(r - k) < 1e-13 && Math.pow(2, k) === +x ? k : r;
    });
    def("log10", function log10(x) {
        var r = Math.log(x) / Math.LN10, k = Math.round(r);
        return Math.abs(r - k) < 1e-13 && Math.pow(10, k) === +x ? k : r;
    });
    def("hypot", function hypot() {
        var max = 0, inf = false, nan = false, i, v;
        for (i = 0; i < arguments.length; i++) {
            v = Math.abs(arguments[i]);
            if (v === Infinity)
                inf = true;
            else if (v !== v)
                nan = true;
            else if (v > max)
                max = v;
        }
        if (inf)
            return Infinity;
        if (nan)
            return NaN;
        if (max === 0)
            return 0;
        var sum = 0;
        for (i = 0; i < arguments.length; i++) {
            v = Math.abs(arguments[i]) / max;
            sum += v * v;
        }
        return max * Math.sqrt(sum);
    });
    // Kahan's correction of exp(x) - 1, which loses digits near 0 (and elsewhere by an ulp).
    def("expm1", function expm1(x) {
        x = +x;
        if (x === 0 || x !== x)
            return x;
        if (x === -Infinity)
            return -1;
        var u = Math.exp(x);
        if (u === Infinity)
            return u;
        return u === 1 ? x : u - 1 === -1 ? -1 : (u - 1) * x / Math.log(u);
    });
    def("log1p", function log1p(x) {
        x = +x;
        if (x === 0 || x !== x)
            return x;
        var u = 1 + x;
        return u === Infinity ? u : u === 1 ? x : Math.log(u) * x / (u - 1);
    });
    // Round to the nearest float32 (ties to even) with integer arithmetic on the exponent.
    def("fround", function fround(x) {
        x = +x;
        if (x === 0 || x !== x || x === Infinity || x === -Infinity)
            return x;
        var s = x < 0 ? -1 : 1, a = Math.abs(x);
        if (a >= 3.4028235677973366e38)
            return s * Infinity;
        var e = Math.floor(Math.log(a) / Math.LN2);
        if (Math.pow(2, e) > a)
            e--;
        else if (Math.pow(2, e + 1) <= a)
            e++;
        if (e < -126)
            e = -126; // subnormal: fixed step 2^-149
        var step = Math.pow(2, e - 23), q = a / step, f = Math.floor(q), r = q - f;
        if (r > 0.5 || (r === 0.5 && f % 2 === 1))
            f++;
        return s * f * step;
    });
    def("clz32", function clz32(x) {
        var n = x >>> 0;
        if (n === 0)
            return 32;
        var c = 0;
        while ((n & 0x80000000) === 0) {
            n = (n << 1) >>> 0;
            c++;
        }
        return c;
    });
    def("imul", function imul(a, b) {
        a = a | 0;
        b = b | 0;
        var lo = (a & 0xffff) * b, hi = ((a >>> 16) * b) & 0xffff;
        return (lo + (hi << 16)) | 0;
    });
})();
