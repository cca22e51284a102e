// module: iterator
// needs: symbol
// triggers: $jsc_iterator $jsc_to_array $jsc_iter_close
// defines: $jsc_iterator $jsc_to_array $jsc_iter_close $jsc_ArrayIterator Array.prototype.@@iterator String.prototype.@@iterator
//
// The iteration protocol for lowered for...of, spread and destructuring:
//   $jsc_iterator(x)    an iterator over x: arrays, strings (by code point), arguments and
//                       array-likes from the engine, or anything with [Symbol.iterator];
//                       TypeError "<x> is not iterable" otherwise
//   $jsc_to_array(x)    the values of an iterable in a new array (arrays copied directly)
//   $jsc_iter_close(it) calls it.return() if there is one (break/throw out of a loop)
// Also Array.prototype[Symbol.iterator] and String.prototype[Symbol.iterator].
(function (G) {
    "use strict";
    var ITER = "@@iterator", toStr = Object.prototype.toString;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    // One iterator kind for arrays and array-likes: kind 0 values, 1 keys, 2 entries.
    function ArrayIterator(a, kind) { this.a = a; this.i = 0; this.k = kind; }
    def(ArrayIterator.prototype, "next", function next() {
        var a = this.a, i = this.i;
        if (a === undefined || i >= a.length) {
            this.a = undefined;
            return { value: undefined, done: true };
        }
        this.i = i + 1;
        return { value: this.k === 0 ? a[i] : this.k === 1 ? i : [i, a[i]], done: false };
    });
    def(ArrayIterator.prototype, ITER, function () { return this; });
    function StringIterator(s) { this.s = s; this.i = 0; }
    def(StringIterator.prototype, "next", function next() {
        var s = this.s, i = this.i;
        if (i >= s.length)
            return { value: undefined, done: true };
        var c = s.charCodeAt(i), n = 1;
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
            var d = s.charCodeAt(i + 1);
            if (d >= 0xDC00 && d <= 0xDFFF)
                n = 2;
        }
        this.i = i + n;
        return { value: s.slice(i, i + n), done: false };
    });
    def(StringIterator.prototype, ITER, function () { return this; });
    var values = function values() {
        if (this == null)
            throw new TypeError("Array.prototype.values called on null or undefined");
        return new ArrayIterator(Object(this), 0);
    };
    def(Array.prototype, ITER, values);
    def(String.prototype, ITER, function () {
        if (this == null)
            throw new TypeError("String.prototype[Symbol.iterator] called on null or undefined");
        return new StringIterator(String(this));
    });
    def(G, "$jsc_ArrayIterator", ArrayIterator);
    function describe(x) {
        if (typeof x === "string")
            return JSON.stringify(x);
        if (typeof x === "function")
            return (x.name || "function");
        if (x !== null && typeof x === "object")
            return "object";
        return String(x);
    }
    function iterator(x) {
        if (typeof x === "string")
            return new StringIterator(x);
        if (x != null) {
            var f = x[ITER];
            if (typeof f === "function") {
                var it = f.call(x);
                if (it === null || (typeof it !== "object" && typeof it !== "function"))
                    throw new TypeError("Result of the Symbol.iterator method is not an object");
                return it;
            }
            if (toStr.call(x) === "[object Arguments]")
                return new ArrayIterator(x, 0);
        }
        throw new TypeError(describe(x) + " is not iterable");
    }
    def(G, "$jsc_iterator", iterator);
    def(G, "$jsc_to_array", function (x) {
        if (x instanceof Array && x[ITER] === values)
            return Array.prototype.slice.call(x);
        var it = iterator(x), out = [], r;
        while (!(r = it.next()).done)
            out.push(r.value);
        return out;
    });
    def(G, "$jsc_iter_close", function (it) {
        var f = it["return"];
        if (f != null) {
            var r = f.call(it);
            if (r === null || (typeof r !== "object" && typeof r !== "function"))
                throw new TypeError("iterator.return() did not return an object");
        }
    });
})(this);
