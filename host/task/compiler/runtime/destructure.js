// module: destructure
// needs: iterator
// defines: $jsc_obj_pattern $jsc_array_pattern $jsc_object_rest
//
// Helpers of lowered destructuring (lower_destructure.c); array patterns without a rest
// element use $jsc_arr of the iterator module instead. Implemented natively too
// (plugins/executor-mujs/mujs_native_iter.c, without needing iterator): keep the two alike.
//   $jsc_obj_pattern(v, src, key)   v, or the TypeError V8 gives for destructuring null or
//                                   undefined (lowered code calls it only when v == null);
//                                   src: the source text of the value ("" when there is
//                                   none, null for a nested pattern), key: the first
//                                   property of the pattern or null
//   $jsc_array_pattern(v, n, rest, src)  the first n iterated values of v in an array (and,
//                                   when rest is 1, an array of the remaining ones at index
//                                   n); the iterator is closed when it is not exhausted
//   $jsc_object_rest(v, keys)       a new object with the own enumerable properties of v
//                                   except the listed keys
(function (G) {
    var values = Array.prototype[Symbol.iterator], hasOwn = Object.prototype.hasOwnProperty,
        toStr = Object.prototype.toString;
    function def(k, v) {
        Object.defineProperty(G, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    def("$jsc_obj_pattern", function (v, src, key) {
        if (v != null)
            return v;
        var what = v === null ? "null" : "undefined";
        if (src === null && key !== null)
            throw new TypeError("Cannot read properties of " + what + " (reading '" + key + "')");
        if (!src)
            src = what;
        if (key === null)
            throw new TypeError("Cannot destructure '" + src + "' as it is " + what + ".");
        throw new TypeError("Cannot destructure property '" + key + "' of '" + src + "' as it is " +
                            what + ".");
    });
    function iterable(v) {
        return typeof v === "string" || (v != null && typeof v[Symbol.iterator] === "function") ||
               toStr.call(v) === "[object Arguments]";
    }
    def("$jsc_array_pattern", function (v, n, rest, src) {
        var out, i, r, done = false;
        // Arrays whose iterator is the built-in one: the same values without an iterator.
        if (Array.isArray(v) && v[Symbol.iterator] === values) {
            out = [];
            for (i = 0; i < n; i++)
                out[i] = v[i];
            if (rest) {
                r = [];
                for (i = n; i < v.length; i++)
                    r.push(v[i]);
                out[n] = r;
            }
            return out;
        }
        if (src && !iterable(v))
            throw new TypeError(src + " is not iterable");
        var it = $jsc_iterator(v);
        out = [];
        for (i = 0; i < n; i++) {
            r = it.next();
            if (r.done) {
                done = true;
                break;
            }
            out[i] = r.value;
        }
        if (rest) {
            var more = [];
            if (!done)
                while (!(r = it.next()).done)
                    more.push(r.value);
            out[n] = more;
        } else if (!done) {
            $jsc_iter_close(it);
        }
        return out;
    });
    def("$jsc_object_rest", function (v, keys) {
        var out = {}, skip = {}, i, k, o = Object(v);
        for (i = 0; i < keys.length; i++)
            skip["$" + String(keys[i])] = 1;
        for (k in o)
            if (hasOwn.call(o, k) && skip["$" + k] !== 1)
                out[k] = o[k];
        return out;
    });
})(this);
