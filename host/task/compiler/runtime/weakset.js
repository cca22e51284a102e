// module: weakset
// needs: iterator
// triggers: WeakSet
// defines: WeakSet
//
// WeakSet: each set marks its members with a hidden, non-enumerable property named after
// the set ("@@jsc_ws3"), so membership lives exactly as long as the object. An object that
// cannot take a property (frozen, sealed, non-extensible) goes into a list inside the set,
// which holds it strongly.
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
            throw new TypeError("Method WeakSet.prototype." + method + " called on incompatible receiver");
        return m["@@jsc_wk"];
    }
    function slot(keys, k) {
        for (var i = 0; i < keys.length; i++)
            if (keys[i] === k)
                return i;
        return -1;
    }
    function WeakSet(iterable) {
        if (!(this instanceof WeakSet))
            throw new TypeError("Constructor WeakSet requires 'new'");
        Object.defineProperty(this, "@@jsc_wk", { value: { id: "@@jsc_ws" + (++ids), k: [], v: [] } });
        if (iterable != null) {
            var it = G.$jsc_iterator(iterable), r;
            while (!(r = it.next()).done) {
                try {
                    this.add(r.value);
                } catch (err) {
                    G.$jsc_iter_close(it);
                    throw err;
                }
            }
        }
    }
    var P = WeakSet.prototype;
    def(P, "add", function add(k) {
        var v = true;
        var s = self(this, "add");
        check(k, "in weak set");
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
    Object.defineProperty(P, "@@toStringTag", { value: "WeakSet", configurable: true });
    def(P, "constructor", WeakSet);
    def(G, "WeakSet", WeakSet);
})(this);
