// module: array
// triggers: of find findIndex includes fill flat flatMap copyWithin
// defines: Array.of Array.prototype.find Array.prototype.findIndex Array.prototype.includes Array.prototype.fill Array.prototype.copyWithin Array.prototype.flat Array.prototype.flatMap
//
// Array.of and Array.prototype.find/findIndex/includes/fill/flat/flatMap/copyWithin.
// flat() recurses through a loop with an explicit stack (MuJS allows few nested calls).
(function () {
    "use strict";
    var AP = Array.prototype;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function obj(x, name) {
        if (x == null)
            throw new TypeError("Array.prototype." + name + " called on null or undefined");
        return Object(x);
    }
    function len(o) {
        var n = Number(o.length);
        if (!(n > 0))
            return 0;
        n = Math.floor(n);
        return n > 9007199254740991 ? 9007199254740991 : n;
    }
    function fn(f) {
        if (typeof f !== "function")
            throw new TypeError(String(f) + " is not a function");
        return f;
    }
    function rel(x, n, dflt) {
        if (x === undefined)
            return dflt;
        var i = Number(x);
        i = i !== i ? 0 : i < 0 ? Math.ceil(i) : Math.floor(i);
        return i < 0 ? Math.max(n + i, 0) : Math.min(i, n);
    }
    def(Array, "of", function of() {
        var C = typeof this === "function" && this !== Array ? this : null;
        var out = C ? new C(arguments.length) : new Array(arguments.length);
        for (var i = 0; i < arguments.length; i++)
            out[i] = arguments[i];
        out.length = arguments.length;
        return out;
    });
    def(AP, "find", function find(f, thisArg) {
        var o = obj(this, "find"), n = len(o);
        fn(f);
        for (var i = 0; i < n; i++)
            if (f.call(thisArg, o[i], i, o))
                return o[i];
        return undefined;
    });
    def(AP, "findIndex", function findIndex(f, thisArg) {
        var o = obj(this, "findIndex"), n = len(o);
        fn(f);
        for (var i = 0; i < n; i++)
            if (f.call(thisArg, o[i], i, o))
                return i;
        return -1;
    });
    def(AP, "includes", function includes(x, from) {
        var o = obj(this, "includes"), n = len(o);
        for (var i = rel(from, n, 0); i < n; i++)
            if (o[i] === x || (x !== x && o[i] !== o[i]))
                return true;
        return false;
    });
    def(AP, "fill", function fill(v, start, end) {
        var o = obj(this, "fill"), n = len(o);
        for (var i = rel(start, n, 0), e = rel(end, n, n); i < e; i++)
            o[i] = v;
        return o;
    });
    def(AP, "copyWithin", function copyWithin(target, start, end) {
        var o = obj(this, "copyWithin"), n = len(o);
        var to = rel(target, n, 0), from = rel(start, n, 0), fin = rel(end, n, n);
        var count = Math.min(fin - from, n - to), dir = 1;
        if (from < to && to < from + count) {
            dir = -1;
            from += count - 1;
            to += count - 1;
        }
        for (; count > 0; count--, from += dir, to += dir)
            if (from in o)
                o[to] = o[from];
            else
                delete o[to];
        return o;
    });
    // Appends the elements of `src` to `out`, flattening `depth` levels, without recursion.
    function flatten(out, src, depth) {
        var stack = [src, 0, len(src), depth];
        while (stack.length) {
            var top = stack.length - 4, a = stack[top], i = stack[top + 1];
            if (i >= stack[top + 2]) {
                stack.length = top;
                continue;
            }
            stack[top + 1] = i + 1;
            if (!(i in a))
                continue;
            var v = a[i], d = stack[top + 3];
            if (d > 0 && v instanceof Array)
                stack.push(v, 0, len(v), d - 1);
            else
                out.push(v);
        }
        return out;
    }
    def(AP, "flat", function flat(depth) {
        var o = obj(this, "flat"), d = depth === undefined ? 1 : Number(depth);
        if (d !== d)
            d = 0;
        return flatten([], o, d);
    });
    def(AP, "flatMap", function flatMap(f, thisArg) {
        var o = obj(this, "flatMap"), n = len(o), out = [];
        fn(f);
        for (var i = 0; i < n; i++) {
            if (!(i in o))
                continue;
            var v = f.call(thisArg, o[i], i, o);
            if (v instanceof Array)
                flatten(out, v, 0);
            else
                out.push(v);
        }
        return out;
    });
})();
