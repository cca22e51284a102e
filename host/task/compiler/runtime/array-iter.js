// module: array-iter
// needs: iterator
// triggers: keys values entries Symbol&iterator
// defines: Array.prototype.values Array.prototype.keys Array.prototype.entries
//
// Array.prototype.keys/values/entries (values is Array.prototype[Symbol.iterator]). Also
// chosen by `Symbol.iterator` in the source, which brings the iterator module (this one needs
// it) for code that reads or tests [Symbol.iterator] of arrays and strings itself.
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
