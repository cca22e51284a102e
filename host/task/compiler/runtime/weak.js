// module: weak
// needs: iterator
// defines: $jsc_weak
//
// What WeakMap and WeakSet share: each collection keeps its values on the key objects
// themselves, under a hidden, non-enumerable property named after the collection ("@@jsc_wm3",
// "@@jsc_ws3"), so a value lives exactly as long as its key, as in a native weak collection.
// A key that cannot take a property (frozen, sealed or non-extensible) goes into a list inside
// the collection instead, which holds it strongly.
//
// $jsc_weak(name, prefix) returns the operations for the collection class `name` ("WeakMap"):
//   init(obj, iterable, add)  make obj a collection; add(obj, value) each value of iterable
//   put(obj, k, v, what)      store v for key k (what: the message's "as weak map key")
//   get(obj, k) / has(obj, k) / del(obj, k)
(function (G) {
    "use strict";
    var ids = 0, hasOwn = Object.prototype.hasOwnProperty;
    function isKey(k) {
        return k !== null && (typeof k === "object" || typeof k === "function");
    }
    function slot(keys, k) {
        for (var i = 0; i < keys.length; i++)
            if (keys[i] === k)
                return i;
        return -1;
    }
    Object.defineProperty(G, "$jsc_weak", { writable: true, configurable: true, value: function (name, prefix) {
        function self(m, method) {
            if (m === null || typeof m !== "object" || !hasOwn.call(m, "@@jsc_wk"))
                throw new TypeError("Method " + name + ".prototype." + method + " called on incompatible receiver");
            return m["@@jsc_wk"];
        }
        return {
            init: function (obj, iterable, add) {
                Object.defineProperty(obj, "@@jsc_wk", { value: { id: prefix + (++ids), k: [], v: [] } });
                if (iterable == null)
                    return;
                var it = G.$jsc_iterator(iterable), r;
                while (!(r = it.next()).done) {
                    try {
                        add(obj, r.value);
                    } catch (err) {
                        G.$jsc_iter_close(it);
                        throw err;
                    }
                }
            },
            put: function (obj, method, k, v, what) {
                var s = self(obj, method);
                if (!isKey(k))
                    throw new TypeError("Invalid value used " + what);
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
            },
            get: function (obj, k) {
                var s = self(obj, "get");
                if (!isKey(k))
                    return undefined;
                if (hasOwn.call(k, s.id))
                    return k[s.id];
                var i = slot(s.k, k);
                return i < 0 ? undefined : s.v[i];
            },
            has: function (obj, k) {
                var s = self(obj, "has");
                return isKey(k) && (hasOwn.call(k, s.id) || slot(s.k, k) >= 0);
            },
            del: function (obj, k) {
                var s = self(obj, "delete");
                if (!isKey(k))
                    return false;
                if (hasOwn.call(k, s.id))
                    return delete k[s.id];
                var i = slot(s.k, k);
                if (i < 0)
                    return false;
                s.k.splice(i, 1);
                s.v.splice(i, 1);
                return true;
            }
        };
    }});
})(this);
