// module: map
// needs: collection
// triggers: Map
// defines: Map
//
// Map: insertion order, SameValueZero keys, live iteration (see collection).
(function (G) {
    "use strict";
    var T = G.$jsc_Table, ITER = "@@iterator";
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function Map(iterable) {
        if (!(this instanceof Map))
            throw new TypeError("Constructor Map requires 'new'");
        var t = T.init(this, "Map");
        if (iterable != null) {
            var set = this.set, it = G.$jsc_iterator(iterable), r;
            while (!(r = it.next()).done) {
                var e = r.value;
                try {
                    if (e === null || typeof e !== "object")
                        throw new TypeError("Iterator value " + String(e) + " is not an entry object");
                    if (set === Map.prototype.set)
                        t.add(e[0], e[1]);
                    else
                        set.call(this, e[0], e[1]);
                } catch (err) {
                    G.$jsc_iter_close(it);
                    throw err;
                }
            }
        }
    }
    var P = Map.prototype;
    def(P, "get", function get(k) { var r = T.of(this, "Map", "get").find(k); return r === undefined ? undefined : r.v; });
    def(P, "has", function has(k) { return T.of(this, "Map", "has").find(k) !== undefined; });
    def(P, "set", function set(k, v) { T.of(this, "Map", "set").add(k, v); return this; });
    def(P, "delete", function (k) { return T.of(this, "Map", "delete").remove(k); });
    def(P, "clear", function clear() { T.of(this, "Map", "clear").clear(); });
    def(P, "forEach", function forEach(fn, thisArg) { T.of(this, "Map", "forEach").forEach(fn, thisArg, this); });
    def(P, "keys", function keys() { return new T.Iterator(T.of(this, "Map", "keys"), 1); });
    def(P, "values", function values() { return new T.Iterator(T.of(this, "Map", "values"), 0); });
    def(P, "entries", function entries() { return new T.Iterator(T.of(this, "Map", "entries"), 2); });
    def(P, ITER, P.entries);
    Object.defineProperty(P, "size", { get: function () { return T.of(this, "Map", "size").n; }, enumerable: false, configurable: true });
    Object.defineProperty(P, "@@toStringTag", { value: "Map", configurable: true });
    def(P, "constructor", Map);
    def(G, "Map", Map);
})(this);
