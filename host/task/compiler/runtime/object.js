// module: object
// triggers: assign entries values is Object&keys
// defines: Object.assign Object.entries Object.values Object.is Object.keys
//
// Object.assign, Object.entries, Object.values, Object.is, and Object.keys. Key order is
// MuJS's own (it sorts property names), so entries/values follow that order, not insertion
// order. MuJS 1.3 leaves the indexes of arrays (and strings) out of Object.keys and calls
// them non-enumerable, so those are listed here first, as other engines do. Keys that are
// symbols (strings starting with "@@", see symbol.js) are left out of keys/entries/values;
// Object.assign copies them, as it copies enumerable symbol-keyed properties.
(function () {
    "use strict";
    var toStr = Object.prototype.toString, objectKeys = Object.keys;
    // Own enumerable keys, array indexes included, symbol keys too.
    function keysOf(o) {
        var keys = objectKeys(o), c = toStr.call(o);
        if (c !== "[object Array]" && c !== "[object String]" && c !== "[object Arguments]")
            return keys;
        var out = [];
        for (var i = 0; i < o.length; i++)
            if (i in o)
                out.push(String(i));
        for (i = 0; i < keys.length; i++) {
            var k = String(keys[i]);
            if (String(+k >>> 0) !== k)
                out.push(k);
        }
        return out;
    }
    // keysOf without symbol keys (copied only when there is one to leave out).
    function stringKeys(o) {
        var keys = keysOf(o), out = null;
        for (var i = 0; i < keys.length; i++) {
            var k = keys[i];
            if (k.charCodeAt(0) === 64 && k.charCodeAt(1) === 64) {
                if (!out)
                    out = keys.slice(0, i);
            } else if (out) {
                out.push(k);
            }
        }
        return out || keys;
    }
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function toObject(o) {
        if (o == null)
            throw new TypeError("Cannot convert undefined or null to object");
        return Object(o);
    }
    def(Object, "assign", function assign(target, source) {
        var to = toObject(target);
        for (var i = 1; i < arguments.length; i++) {
            var from = arguments[i];
            if (from == null)
                continue;
            from = Object(from);
            var keys = keysOf(from);
            for (var j = 0; j < keys.length; j++)
                to[keys[j]] = from[keys[j]];
        }
        return to;
    });
    function pairs(o, kind) {
        o = toObject(o);
        var keys = stringKeys(o), out = [];
        for (var i = 0; i < keys.length; i++)
            out.push(kind ? [keys[i], o[keys[i]]] : o[keys[i]]);
        return out;
    }
    def(Object, "entries", function entries(o) { return pairs(o, 1); });
    def(Object, "values", function values(o) { return pairs(o, 0); });
    def(Object, "keys", function keys(o) { return stringKeys(toObject(o)); });
    def(Object, "is", function is(a, b) {
        if (a === b)
            return a !== 0 || 1 / a === 1 / b;
        return a !== a && b !== b;
    });
})();
