// module: collection
// needs: iterator
// defines: $jsc_Table
//
// The ordered hash table behind Map and Set. Entries live in an array in insertion order,
// each a record {k, v, d}; an index object maps a key's hash to its record. Deleting marks
// the record (d = true) and leaves it in the array, so live iterators keep their place, as
// the spec's "empty" list slots do; when more than half the array is dead the array is
// rebuilt, and an iterator holding the old array finds its new position by counting the
// records that survived (marked r). Keys compare with SameValueZero: NaN equals NaN, -0 is
// +0. Object keys are hashed through a hidden, non-enumerable "@@jsc_id" property; objects
// that cannot take one (frozen, sealed) fall back to a linear list.
(function (G) {
    "use strict";
    var ids = 0, ID = "@@jsc_id", hasOwn = Object.prototype.hasOwnProperty;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function hash(k, make) {
        var t = typeof k;
        if (t === "string")
            return "s" + k;
        if (t === "number")
            return "n" + (k === 0 ? 0 : k);
        if (k === null || (t !== "object" && t !== "function"))
            return t.charAt(0) + k;
        if (hasOwn.call(k, ID))
            return k[ID];
        if (!make || !Object.isExtensible(k))
            return null;
        var h = "o" + (++ids);
        Object.defineProperty(k, ID, { value: h });
        return h;
    }
    function Table() { this.e = []; this.x = Object.create(null); this.o = null; this.n = 0; this.dead = 0; }
    Table.prototype.find = function (k) {
        var h = hash(k, false);
        if (h !== null)
            return this.x[h];
        var o = this.o;
        if (o !== null)
            for (var i = 0; i < o.length; i++)
                if (o[i].k === k)
                    return o[i];
        return undefined;
    };
    Table.prototype.add = function (k, v) {
        var r = this.find(k);
        if (r !== undefined) {
            r.v = v;
            return;
        }
        if (k === 0)
            k = 0; // -0 becomes +0
        r = { k: k, v: v, d: false, r: false };
        var h = hash(k, true);
        if (h !== null)
            this.x[h] = r;
        else
            (this.o || (this.o = [])).push(r);
        this.e.push(r);
        this.n++;
    };
    Table.prototype.remove = function (k) {
        var r = this.find(k);
        if (r === undefined)
            return false;
        var h = hash(k, false);
        if (h !== null)
            delete this.x[h];
        else
            this.o.splice(this.o.indexOf(r), 1);
        r.d = true;
        this.n--;
        if (++this.dead > 8 && this.dead * 2 > this.e.length)
            this.compact();
        return true;
    };
    Table.prototype.compact = function () {
        var e = this.e, live = [];
        for (var i = 0; i < e.length; i++)
            if (e[i].d)
                e[i].r = true;
            else
                live.push(e[i]);
        this.e = live;
        this.dead = 0;
    };
    Table.prototype.clear = function () {
        var e = this.e;
        for (var i = 0; i < e.length; i++)
            e[i].d = e[i].r = true;
        this.e = [];
        this.x = Object.create(null);
        this.o = null;
        this.n = 0;
        this.dead = 0;
    };
    Table.prototype.forEach = function (fn, thisArg, self) {
        if (typeof fn !== "function")
            throw new TypeError(String(fn) + " is not a function");
        var e = this.e;
        for (var i = 0; ; i++) {
            if (e !== this.e) {
                i = relocate(e, i);
                e = this.e;
            }
            if (i >= e.length)
                break;
            if (!e[i].d)
                fn.call(thisArg, e[i].v, e[i].k, self);
        }
    };
    // Position in the current array of the first record at or after old[i].
    function relocate(old, i) {
        var n = 0;
        for (var j = 0; j < i && j < old.length; j++)
            if (!old[j].r)
                n++;
        return n;
    }
    // kind: 0 values, 1 keys, 2 entries
    function TableIterator(t, kind) { this.t = t; this.e = t.e; this.i = 0; this.k = kind; }
    def(TableIterator.prototype, "next", function next() {
        var t = this.t;
        if (t !== null) {
            var e = this.e, i = this.i;
            if (e !== t.e) {
                i = relocate(e, i);
                this.e = e = t.e;
            }
            while (i < e.length && e[i].d)
                i++;
            if (i < e.length) {
                var r = e[i];
                this.i = i + 1;
                return { value: this.k === 0 ? r.v : this.k === 1 ? r.k : [r.k, r.v], done: false };
            }
            this.t = null;
        }
        return { value: undefined, done: true };
    });
    def(TableIterator.prototype, "@@iterator", function () { return this; });
    Table.Iterator = TableIterator;
    // The table of a Map/Set `self`, or TypeError when self is not one.
    Table.of = function (self, kind, method) {
        var t = self != null && typeof self === "object" && hasOwn.call(self, "@@jsc_table") ? self["@@jsc_table"] : undefined;
        if (t === undefined || t.kind !== kind)
            throw new TypeError("Method " + kind + ".prototype." + method + " called on incompatible receiver");
        return t;
    };
    Table.init = function (self, kind) {
        var t = new Table();
        t.kind = kind;
        Object.defineProperty(self, "@@jsc_table", { value: t });
        return t;
    };
    Table.hash = hash;
    def(G, "$jsc_Table", Table);
})(this);
