// module: string
// triggers: includes startsWith endsWith padStart padEnd repeat trimStart trimEnd trimLeft trimRight codePointAt fromCodePoint raw replace
// defines: String.prototype.replace String.prototype.includes String.prototype.startsWith String.prototype.endsWith String.prototype.repeat String.prototype.padStart String.prototype.padEnd String.prototype.trimStart String.prototype.trimEnd String.prototype.trimLeft String.prototype.trimRight String.prototype.codePointAt String.fromCodePoint String.raw
//
// String.prototype.includes/startsWith/endsWith/padStart/padEnd/repeat/trimStart/trimEnd/
// codePointAt, String.fromCodePoint, String.raw; and String.prototype.replace with a regular
// expression and a function, whose offset argument MuJS 1.3.2 counts in bytes from the end of
// the previous match.
(function () {
    "use strict";
    var SP = String.prototype;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function str(x, name) {
        if (x == null)
            throw new TypeError("String.prototype." + name + " called on null or undefined");
        return String(x);
    }
    function notRegExp(x, name) {
        if (x instanceof RegExp)
            throw new TypeError("First argument to String.prototype." + name + " must not be a regular expression");
        return String(x);
    }
    function pos(x, dflt) {
        if (x === undefined)
            return dflt;
        var n = Number(x);
        return n !== n ? 0 : n < 0 ? Math.ceil(n) : Math.floor(n);
    }
    function clamp(i, n) { return i < 0 ? 0 : i > n ? n : i; }
    def(SP, "includes", function includes(search, position) {
        var s = str(this, "includes"), t = notRegExp(search, "includes");
        // MuJS's indexOf finds "" nowhere at the end of a string (so not in "")
        return t === "" || s.indexOf(t, pos(position, 0)) !== -1;
    });
    var replace = SP.replace, exec = RegExp.prototype.exec;
    def(SP, "replace", function (search, replacement) {
        if (typeof replacement !== "function" || !(search instanceof RegExp))
            return replace.apply(this, arguments);
        var s = str(this, "replace"), out = "", last = 0, m, args, global = search.global;
        if (global)
            search.lastIndex = 0;
        while ((m = exec.call(search, s)) !== null) {
            args = Array.prototype.slice.call(m);
            args.push(m.index, s);
            out += s.slice(last, m.index) + String(replacement.apply(undefined, args));
            last = m.index + m[0].length;
            if (!global)
                break;
            if (m[0] === "")
                search.lastIndex = last + 1;
        }
        return out + s.slice(last);
    });
    def(SP, "startsWith", function startsWith(search, position) {
        var s = str(this, "startsWith"), t = notRegExp(search, "startsWith"), i = clamp(pos(position, 0), s.length);
        return s.slice(i, i + t.length) === t;
    });
    def(SP, "endsWith", function endsWith(search, endPosition) {
        var s = str(this, "endsWith"), t = notRegExp(search, "endsWith"), e = clamp(pos(endPosition, s.length), s.length);
        return e - t.length >= 0 && s.slice(e - t.length, e) === t;
    });
    function repeat(s, n) {
        var out = "";
        for (; n > 0; n >>>= 1, s += s)
            if (n & 1)
                out += s;
        return out;
    }
    def(SP, "repeat", function (count) {
        var s = str(this, "repeat"), n = pos(count, 0);
        if (n < 0 || n === Infinity)
            throw new RangeError("Invalid count value: " + String(count));
        if (s.length * n >= 1 << 29)
            throw new RangeError("Invalid string length");
        return repeat(s, n);
    });
    function pad(s, maxLength, fill, atStart) {
        var n = pos(maxLength, 0), f = fill === undefined ? " " : String(fill);
        if (n <= s.length || f === "")
            return s;
        var need = n - s.length, p = repeat(f, Math.ceil(need / f.length)).slice(0, need);
        return atStart ? p + s : s + p;
    }
    def(SP, "padStart", function padStart(n, fill) { return pad(str(this, "padStart"), n, fill, true); });
    def(SP, "padEnd", function padEnd(n, fill) { return pad(str(this, "padEnd"), n, fill, false); });
    // ES's WhiteSpace and LineTerminator, as in String.prototype.trim.
    var WS = "[\\s\\uFEFF\\xA0]";
    var lead = new RegExp("^" + WS + "+"), trail = new RegExp(WS + "+$");
    def(SP, "trimStart", function trimStart() { return str(this, "trimStart").replace(lead, ""); });
    def(SP, "trimEnd", function trimEnd() { return str(this, "trimEnd").replace(trail, ""); });
    def(SP, "trimLeft", SP.trimStart);
    def(SP, "trimRight", SP.trimEnd);
    def(SP, "codePointAt", function codePointAt(position) {
        var s = str(this, "codePointAt"), i = pos(position, 0);
        if (i < 0 || i >= s.length)
            return undefined;
        var c = s.charCodeAt(i);
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
            var d = s.charCodeAt(i + 1);
            if (d >= 0xDC00 && d <= 0xDFFF)
                return (c - 0xD800) * 0x400 + d - 0xDC00 + 0x10000;
        }
        return c;
    });
    def(String, "fromCodePoint", function fromCodePoint() {
        var out = "";
        for (var i = 0; i < arguments.length; i++) {
            var c = Number(arguments[i]);
            if (c !== Math.floor(c) || c < 0 || c > 0x10FFFF)
                throw new RangeError("Invalid code point " + String(arguments[i]));
            if (c < 0x10000)
                out += String.fromCharCode(c);
            else {
                c -= 0x10000;
                out += String.fromCharCode(0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
            }
        }
        return out;
    });
    def(String, "raw", function raw(strings) {
        if (strings == null || strings.raw == null)
            throw new TypeError("Cannot convert undefined or null to object");
        var r = Object(strings.raw), n = Number(r.length) > 0 ? Math.floor(r.length) : 0, out = "";
        for (var i = 0; i < n; i++) {
            out += String(r[i]);
            if (i + 1 < n && i + 1 < arguments.length)
                out += String(arguments[i + 1]);
        }
        return out;
    });
})();
