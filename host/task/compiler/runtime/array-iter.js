// module: array-iter
// needs: iterator
// triggers: keys values entries
// defines: Array.prototype.values Array.prototype.keys Array.prototype.entries
//
// Array.prototype.keys/values/entries (values is Array.prototype[Symbol.iterator]).
(function (G) {
    "use strict";
    var AI = G.$jsc_ArrayIterator;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function obj(x, name) {
        if (x == null)
            throw new TypeError("Array.prototype." + name + " called on null or undefined");
        return Object(x);
    }
    def(Array.prototype, "values", Array.prototype["@@iterator"]);
    def(Array.prototype, "keys", function keys() { return new AI(obj(this, "keys"), 1); });
    def(Array.prototype, "entries", function entries() { return new AI(obj(this, "entries"), 2); });
})(this);
