// module: weakset
// needs: weak
// triggers: WeakSet
// defines: WeakSet
//
// WeakSet, on the storage weak.js shares with WeakMap (a member's value is true).
(function (G) {
    "use strict";
    var W = G.$jsc_weak("WeakSet", "@@jsc_ws");
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function addValue(s, v) {
        s.add(v);
    }
    function WeakSet(iterable) {
        if (!(this instanceof WeakSet))
            throw new TypeError("Constructor WeakSet requires 'new'");
        W.init(this, iterable, addValue);
    }
    var P = WeakSet.prototype;
    def(P, "add", function add(k) {
        W.put(this, "add", k, true, "in weak set");
        return this;
    });
    def(P, "has", function has(k) {
        return W.has(this, k);
    });
    def(P, "delete", function (k) {
        return W.del(this, k);
    });
    Object.defineProperty(P, "@@toStringTag", { value: "WeakSet", configurable: true });
    def(P, "constructor", WeakSet);
    def(G, "WeakSet", WeakSet);
})(this);
