// module: set
// needs: collection
// triggers: Set
// defines: Set
//
// Set: insertion order, SameValueZero values, live iteration (see collection).
(function (G) {
    "use strict";
    var T = G.$jsc_Table, ITER = "@@iterator";
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function Set(iterable) {
        if (!(this instanceof Set))
            throw new TypeError("Constructor Set requires 'new'");
        var t = T.init(this, "Set");
        if (iterable != null) {
            var add = this.add, it = G.$jsc_iterator(iterable), r;
            while (!(r = it.next()).done) {
                if (add === Set.prototype.add) {
                    t.find(r.value) === undefined && t.add(r.value === 0 ? 0 : r.value, r.value === 0 ? 0 : r.value);
                    continue;
                }
                try {
                    add.call(this, r.value);
                } catch (err) {
                    G.$jsc_iter_close(it);
                    throw err;
                }
            }
        }
    }
    var P = Set.prototype;
    def(P, "has", function has(k) { return T.of(this, "Set", "has").find(k) !== undefined; });
    def(P, "add", function add(k) {
        var t = T.of(this, "Set", "add");
        if (t.find(k) === undefined)
            t.add(k === 0 ? 0 : k, k === 0 ? 0 : k);
        return this;
    });
    def(P, "delete", function (k) { return T.of(this, "Set", "delete").remove(k); });
    def(P, "clear", function clear() { T.of(this, "Set", "clear").clear(); });
    def(P, "forEach", function forEach(fn, thisArg) { T.of(this, "Set", "forEach").forEach(fn, thisArg, this); });
    def(P, "values", function values() { return new T.Iterator(T.of(this, "Set", "values"), 0); });
    def(P, "keys", P.values);
    def(P, "entries", function entries() { return new T.Iterator(T.of(this, "Set", "entries"), 2); });
    def(P, ITER, P.values);
    Object.defineProperty(P, "size", { get: function () { return T.of(this, "Set", "size").n; }, enumerable: false, configurable: true });
    Object.defineProperty(P, "@@toStringTag", { value: "Set", configurable: true });
    def(P, "constructor", Set);
    def(G, "Set", Set);
})(this);
