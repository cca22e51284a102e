// module: symbol
// triggers: Symbol $jsc_typeof $jsc_String getOwnPropertySymbols description
// defines: Symbol $jsc_typeof $jsc_String Object.getOwnPropertySymbols Object.getOwnPropertyNames JSON.stringify String.prototype.toString String.prototype.description
//
// ES5 has no symbol primitive, so a symbol here is a string that no ordinary program
// writes: "@@" followed by the well-known name ("@@iterator") or by a counter and the
// description ("@@3:label"; "@@3" when there is none; registered ones "@@for:key").
// Used as a property key it behaves like a symbol key: obj[Symbol.iterator] is a property
// named "@@iterator". Limits, by that choice:
//   - typeof sym is "string": when the source mentions Symbol the compiler lowers `typeof`
//     to $jsc_typeof, which says "symbol", and String(x) to $jsc_String, which gives
//     "Symbol(desc)"; `sym + ""` and `${sym}` give the key text instead of throwing (a
//     string primitive cannot refuse to convert);
//   - symbol-keyed properties a task sets itself are ordinary enumerable properties to the
//     engine: this module hides them from Object.getOwnPropertyNames and JSON.stringify (as
//     the object module does from Object.keys/entries/values, and the executor from the
//     task's output), but for...in still lists them;
//   - a string value that starts with "@@" is taken for a symbol (JSON.stringify omits it);
//   - Symbol.hasInstance/toPrimitive/toStringTag exist as keys, but the engine's
//     instanceof, conversions and Object.prototype.toString do not consult them.
(function () {
    "use strict";
    var counter = 0;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function isSym(s) {
        return typeof s === "string" && s.charCodeAt(0) === 64 && s.charCodeAt(1) === 64;
    }
    function describe(s) {
        if (s.slice(2, 6) === "for:")
            return s.slice(6);
        var c = s.charCodeAt(2);
        if (c < 48 || c > 57)
            return "Symbol." + s.slice(2);
        var i = s.indexOf(":");
        return i < 0 ? undefined : s.slice(i + 1);
    }
    function Symbol(description) {
        if (this instanceof Symbol)
            throw new TypeError("Symbol is not a constructor");
        var d = description === undefined ? "" : ":" + String(description);
        return "@@" + (++counter) + d;
    }
    def(Symbol, "for", function (key) { return "@@for:" + String(key); });
    def(Symbol, "keyFor", function (sym) {
        if (!isSym(sym))
            throw new TypeError(String(sym) + " is not a symbol");
        return sym.slice(2, 6) === "for:" ? sym.slice(6) : undefined;
    });
    var wk = ["iterator", "asyncIterator", "hasInstance", "toPrimitive", "toStringTag",
        "species", "isConcatSpreadable", "match", "matchAll", "replace", "search", "split",
        "unscopables"];
    for (var i = 0; i < wk.length; i++)
        Object.defineProperty(Symbol, wk[i], { value: "@@" + wk[i] });
    def(Symbol, "$jsc_is", isSym);
    // A symbol is a string primitive, so its methods are String.prototype's: toString
    // and description recognise the symbol form and answer like a symbol would.
    var strToString = String.prototype.toString;
    def(String.prototype, "toString", function toString() {
        var s = strToString.call(this);
        return isSym(s) ? "Symbol(" + (describe(s) || "") + ")" : s;
    });
    Object.defineProperty(String.prototype, "description", {
        get: function () {
            var s = strToString.call(this);
            return isSym(s) ? describe(s) : undefined;
        },
        enumerable: false, configurable: true
    });
    var ownNames = Object.getOwnPropertyNames;
    def(Object, "getOwnPropertySymbols", function getOwnPropertySymbols(o) {
        var names = ownNames(o), out = [];
        for (var i = 0; i < names.length; i++)
            if (isSym(names[i]) && names[i].slice(0, 6) !== "@@jsc_")
                out.push(names[i]);
        return out;
    });
    def(Object, "getOwnPropertyNames", function getOwnPropertyNames(o) {
        var names = ownNames(o), out = [];
        for (var i = 0; i < names.length; i++)
            if (!isSym(names[i]))
                out.push(names[i]);
        return out;
    });
    // JSON.stringify never visits symbol keys and leaves symbol values out (null in arrays):
    // a replacer that drops them runs before the task's own replacer function, if any.
    var stringify = JSON.stringify;
    def(JSON, "stringify", function (value, replacer, space) {
        var user = typeof replacer === "function" ? replacer : null, list = null;
        if (!user && replacer instanceof Array) {
            list = [];
            for (var i = 0; i < replacer.length; i++)
                if (!isSym(replacer[i]))
                    list.push(replacer[i]);
        }
        function hide(k, v) {
            if (isSym(k) || isSym(v))
                return undefined;
            v = user ? user.call(this, k, v) : v;
            return isSym(v) ? undefined : v;
        }
        if (list)
            return isSym(value) ? undefined : stringify(value, list, space);
        return stringify(value, hide, space);
    });
    def(this, "Symbol", Symbol);
    // Tells the executor that symbols may exist: it then leaves them out of the output.
    Object.defineProperty(this, "@@jsc_symbols", { value: true });
    def(this, "$jsc_typeof", function (v) {
        return isSym(v) ? "symbol" : typeof v;
    });
    // String(x) where the source mentions Symbol: String(sym) is "Symbol(desc)".
    def(this, "$jsc_String", function String_(v) {
        if (arguments.length === 0)
            return "";
        return isSym(v) ? "Symbol(" + (describe(v) || "") + ")" : String(v);
    });
}).call(this);
