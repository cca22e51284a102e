// module: weakmap
// needs: iterator
// triggers: WeakMap
// defines: WeakMap
//
// WeakMap: each map keeps its values on the key objects themselves, under a hidden,
// non-enumerable property named after the map ("@@jsc_wm3"), so a value lives exactly as
// long as its key, as in a real WeakMap. A key that cannot take a property (frozen, sealed
// or non-extensible) goes into a list inside the map instead, which holds it strongly.
(function (G) {
    "use strict";
    var ids = 0, hasOwn = Object.prototype.hasOwnProperty;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function check(k, what) {
        if (k === null || (typeof k !== "object" && typeof k !== "function"))
            throw new TypeError("Invalid value used " + what);
    }
    function self(m, method) {
        if (m === null || typeof m !== "object" || !hasOwn.call(m, "@@jsc_wk"))
            throw new TypeError("Method WeakMap.prototype." + method + " called on incompatible receiver");
        return m["@@jsc_wk"];
    }
    function slot(keys, k) {
        for (var i = 0; i < keys.length; i++)
            if (keys[i] === k)
                return i;
        return -1;
    }
    function WeakMap(iterable) {
        if (!(this instanceof WeakMap))
            throw new TypeError("Constructor WeakMap requires 'new'");
        Object.defineProperty(this, "@@jsc_wk", { value: { id: "@@jsc_wm" + (++ids), k: [], v: [] } });
        if (iterable != null) {
            var it = G.$jsc_iterator(iterable), r;
            while (!(r = it.next()).done) {
                try {
                    if (r.value === null || typeof r.value !== "object")
                        throw new TypeError("Iterator value " + String(r.value) + " is not an entry object");
                    this.set(r.value[0], r.value[1]);
                } catch (err) {
                    G.$jsc_iter_close(it);
                    throw err;
                }
            }
        }
    }
    var P = WeakMap.prototype;
    def(P, "set", function set(k, v) {
        var s = self(this, "set");
        check(k, "as weak map key");
        if (hasOwn.call(k, s.id))
            k[s.id] = v;
        else if (Object.isExtensible(k))
            Object.defineProperty(k, s.id, { value: v, writable: true, configurable: true });
        else {
            var i = slot(s.k, k);
            if (i < 0)
                i = s.k.push(k) - 1;
            s.v[i] = v;
        }
        return this;
    });
    def(P, "get", function get(k) {
        var s = self(this, "get");
        if (k === null || (typeof k !== "object" && typeof k !== "function"))
            return undefined;
        if (hasOwn.call(k, s.id))
            return k[s.id];
        var i = slot(s.k, k);
        return i < 0 ? undefined : s.v[i];
    });
    def(P, "has", function has(k) {
        var s = self(this, "has");
        if (k === null || (typeof k !== "object" && typeof k !== "function"))
            return false;
        return hasOwn.call(k, s.id) || slot(s.k, k) >= 0;
    });
    def(P, "delete", function (k) {
        var s = self(this, "delete");
        if (k === null || (typeof k !== "object" && typeof k !== "function"))
            return false;
        if (hasOwn.call(k, s.id))
            return delete k[s.id];
        var i = slot(s.k, k);
        if (i < 0)
            return false;
        s.k.splice(i, 1);
        s.v.splice(i, 1);
        return true;
    });
    Object.defineProperty(P, "@@toStringTag", { value: "WeakMap", configurable: true });
    def(P, "constructor", WeakMap);
    def(G, "WeakMap", WeakMap);
})(this);
