// module: array-from
// needs: iterator
// triggers: from
// defines: Array.from
//
// Array.from(items, mapFn, thisArg): iterables first, then array-likes.
(function (G) {
    "use strict";
    Object.defineProperty(Array, "from", {
        value: function from(items, mapFn, thisArg) {
            if (items == null)
                throw new TypeError(String(items) + " is not iterable");
            if (mapFn !== undefined && typeof mapFn !== "function")
                throw new TypeError(String(mapFn) + " is not a function");
            var C = typeof this === "function" && this !== Array ? this : null;
            var out = C ? new C() : [], i = 0, v;
            var f = typeof items === "string" || Object(items)["@@iterator"] != null;
            if (f) {
                var it = G.$jsc_iterator(items), r;
                while (!(r = it.next()).done) {
                    v = r.value;
                    if (mapFn !== undefined) {
                        try {
                            v = mapFn.call(thisArg, v, i);
                        } catch (e) {
                            G.$jsc_iter_close(it);
                            throw e;
                        }
                    }
                    out[i++] = v;
                }
            } else {
                var a = Object(items), n = a.length > 0 ? Math.min(Math.floor(a.length), 9007199254740991) : 0;
                for (; i < n; i++)
                    out[i] = mapFn !== undefined ? mapFn.call(thisArg, a[i], i) : a[i];
            }
            out.length = i;
            return out;
        }, enumerable: false, writable: true, configurable: true
    });
})(this);
