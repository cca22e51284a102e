// module: object-fromentries
// needs: iterator
// triggers: fromEntries
// defines: Object.fromEntries
//
// Object.fromEntries over any iterable of [key, value] entries.
(function (G) {
    "use strict";
    Object.defineProperty(Object, "fromEntries", {
        value: function fromEntries(iterable) {
            if (iterable == null)
                throw new TypeError(String(iterable) + " is not iterable");
            var o = {}, it = G.$jsc_iterator(iterable), r;
            while (!(r = it.next()).done) {
                var e = r.value;
                try {
                    if (e === null || (typeof e !== "object" && typeof e !== "function"))
                        throw new TypeError("Iterator value " + String(e) + " is not an entry object");
                    o[e[0]] = e[1];
                } catch (err) {
                    G.$jsc_iter_close(it);
                    throw err;
                }
            }
            return o;
        }, enumerable: false, writable: true, configurable: true
    });
})(this);
