// module: weakmap
// needs: weak
// triggers: WeakMap
// defines: WeakMap
//
// WeakMap, on the storage weak.js shares with WeakSet.
(function (G) {
    "use strict";
    var W = G.$jsc_weak("WeakMap", "@@jsc_wm");
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function addEntry(m, e) {
        if (e === null || typeof e !== "object")
            throw new TypeError("Iterator value " + String(e) + " is not an entry object");
        m.set(e[0], e[1]);
    }
    function WeakMap(iterable) {
        if (!(this instanceof WeakMap))
            throw new TypeError("Constructor WeakMap requires 'new'");
        W.init(this, iterable, addEntry);
    }
    var P = WeakMap.prototype;
    def(P, "set", function set(k, v) {
        W.put(this, "set", k, v, "as weak map key");
        return this;
    });
    def(P, "get", function get(k) {
        return W.get(this, k);
    });
    def(P, "has", function has(k) {
        return W.has(this, k);
    });
    def(P, "delete", function (k) {
        return W.del(this, k);
    });
    Object.defineProperty(P, "@@toStringTag", { value: "WeakMap", configurable: true });
    def(P, "constructor", WeakMap);
    def(G, "WeakMap", WeakMap);
})(this);
