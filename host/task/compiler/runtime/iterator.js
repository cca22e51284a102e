// module: iterator
// needs: symbol
// triggers: $jsc_iterator $jsc_to_array $jsc_iter_close $jsc_of $jsc_arr
// defines: $jsc_iterator $jsc_to_array $jsc_iter_close $jsc_of $jsc_arr $jsc_values $jsc_ArrayIterator Array.prototype.@@iterator String.prototype.@@iterator
//
// The iteration protocol for lowered for...of, spread and destructuring:
//   $jsc_iterator(x)    an iterator over x: arrays, strings (by code point), arguments and
//                       array-likes from the engine, or anything with [Symbol.iterator];
//                       TypeError "<x> is not iterable" otherwise
//   $jsc_to_array(x)    the values of an iterable in a new array (plain arrays by index)
//   $jsc_iter_close(it, how)  calls it.return() if there is one (break/throw out of a loop);
//                       how === 1: leaving by a throw, so an error of return() is dropped
//                       (the first throw wins); it null: nothing (a loop's array fast path)
//   $jsc_of(x)          for-of: null when x is a plain array iterated by the built-in
//                       iterator (the loop indexes it, reading `length` at every step as the
//                       ArrayIterator does), else $jsc_iterator(x); reads x[@@iterator] once
//   $jsc_values         the original Array.prototype[@@iterator]
//   $jsc_arr(v, n, src, live[, f])  what an array pattern of n elements reads from: v itself
//                       when it is a plain array with the built-in iterator and (unless
//                       `live`) at least n long; for a shorter one, its values padded with
//                       undefined; else a new array of exactly n values from the iterator,
//                       which is closed when not exhausted. src: the source text for
//                       "<src> is not iterable"; f: v[@@iterator] if the caller read it
//                       already (unused when v is null), else read here, once
// Also Array.prototype[Symbol.iterator] and String.prototype[Symbol.iterator].
// Implemented natively too (plugins/executor-mujs/mujs_native_iter.c): keep the two alike.
//
// "Plain array with the built-in iterator": Array.isArray, its @@iterator is the original
// Array.prototype[@@iterator] and $jsc_ArrayIterator.prototype.next is the original, so that
// indexing gives exactly the values, and runs exactly the getters, that iterating would.
(function (G) {
    "use strict";
    var ITER = "@@iterator", toStr = Object.prototype.toString, isArray = Array.isArray;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    // One iterator kind for arrays and array-likes: kind 0 values, 1 keys, 2 entries.
    function ArrayIterator(a, kind) { this.a = a; this.i = 0; this.k = kind; }
    var next0 = function next() {
        var a = this.a, i = this.i;
        if (a === undefined || i >= a.length) {
            this.a = undefined;
            return { value: undefined, done: true };
        }
        this.i = i + 1;
        return { value: this.k === 0 ? a[i] : this.k === 1 ? i : [i, a[i]], done: false };
    };
    var AIP = ArrayIterator.prototype;
    def(AIP, "next", next0);
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
    // The iterator of x whose @@iterator method (read once by the caller) is f.
    function open(x, f) {
        if (typeof x === "string")
            return new StringIterator(x);
        if (x != null) {
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
    // x's @@iterator, read once (undefined for null, undefined and strings).
    function method(x) {
        return x != null && typeof x !== "string" ? x[ITER] : undefined;
    }
    function iterator(x) {
        return open(x, method(x));
    }
    function plain(x, f) {
        return f === values && isArray(x) && AIP.next === next0;
    }
    def(G, "$jsc_iterator", iterator);
    def(G, "$jsc_to_array", function (x) {
        var f = method(x), out = [], i, r;
        if (plain(x, f)) {
            // What the ArrayIterator gives: holes read as undefined, length read each step.
            for (i = 0; i < x.length; i++)
                out[i] = x[i];
            return out;
        }
        var it = open(x, f);
        while (!(r = it.next()).done)
            out.push(r.value);
        return out;
    });
    function close(it, how) {
        if (it == null)
            return;
        if (how === 1) {
            try {
                close(it, 0);
            } catch (ignored) {
            }
            return;
        }
        var f = it["return"];
        if (f != null) {
            var r = f.call(it);
            if (r === null || (typeof r !== "object" && typeof r !== "function"))
                throw new TypeError("iterator.return() did not return an object");
        }
    }
    def(G, "$jsc_iter_close", close);
    def(G, "$jsc_of", function (x) {
        var f = method(x);
        return plain(x, f) ? null : open(x, f);
    });
    def(G, "$jsc_values", values);
    def(G, "$jsc_arr", function (v, n, src, live, f) {
        var out = [], i, r, it;
        if (arguments.length < 5)
            f = method(v);
        if (v != null && plain(v, f)) {
            if (live || v.length >= n)
                return v;
            for (i = 0; i < n; i++)
                out[i] = i < v.length ? v[i] : undefined;
            return out;
        }
        if (src && typeof v !== "string" && typeof f !== "function" &&
            toStr.call(v) !== "[object Arguments]")
            throw new TypeError(src + " is not iterable");
        it = open(v, f);
        for (i = 0; i < n; i++) {
            r = it.next();
            if (r.done)
                break;
            out[i] = r.value;
        }
        if (i === n) {
            close(it, 0);
            return out;
        }
        for (; i < n; i++)
            out[i] = undefined;
        return out;
    });
})(this);
