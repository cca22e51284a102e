// module: number
// triggers: Number isInteger isSafeInteger EPSILON MAX_SAFE_INTEGER MIN_SAFE_INTEGER isFinite isNaN parseFloat parseInt
// defines: Number Number.isFinite Number.isNaN Number.isInteger Number.isSafeInteger Number.parseFloat Number.parseInt Number.EPSILON Number.MAX_SAFE_INTEGER Number.MIN_SAFE_INTEGER
//
// Number.isInteger/isFinite/isNaN/isSafeInteger/parseFloat/parseInt, EPSILON and the safe
// integer bounds. (isFinite, isNaN, parseInt and parseFloat also name ES5 globals, so tasks
// that use those pay for this small module too.) Also Number(value) itself, which in MuJS
// 1.3.2 does not read the ES2015 binary and octal forms ("0b101", "0o17"): the global Number
// becomes a function that does and otherwise calls the engine's; it shares Number.prototype
// and the constants, so instanceof, constructor and new Number(x) behave as before.
(function (G) {
    "use strict";
    function def(k, v) {
        Object.defineProperty(G.Number, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function fixed(k, v) { Object.defineProperty(G.Number, k, { value: v }); }
    var gFinite = isFinite;
    def("isFinite", function isFinite(v) { return typeof v === "number" && gFinite(v); });
    def("isNaN", function isNaN(v) { return typeof v === "number" && v !== v; });
    def("isInteger", function isInteger(v) { return typeof v === "number" && gFinite(v) && Math.floor(v) === v; });
    def("isSafeInteger", function isSafeInteger(v) {
        return typeof v === "number" && gFinite(v) && Math.floor(v) === v && Math.abs(v) <= 9007199254740991;
    });
    def("parseFloat", parseFloat);
    def("parseInt", parseInt);
    fixed("EPSILON", 2.220446049250313e-16);
    fixed("MAX_SAFE_INTEGER", 9007199254740991);
    fixed("MIN_SAFE_INTEGER", -9007199254740991);
    var N = G.Number, radix = /^[\s\uFEFF\xA0]*0(?:[bB]([01]+)|[oO]([0-7]+))[\s\uFEFF\xA0]*$/;
    function toNumber(v) {
        var m = typeof v === "string" ? radix.exec(v) : null;
        return m ? (m[1] ? parseInt(m[1], 2) : parseInt(m[2], 8)) : N(v);
    }
    function Number(value) {
        var n = arguments.length === 0 ? 0 : toNumber(value);
        return this instanceof Number ? new N(n) : n;
    }
    Number.prototype = N.prototype;
    Object.defineProperty(N.prototype, "constructor", { value: Number, enumerable: false, writable: true, configurable: true });
    var names = Object.getOwnPropertyNames(N);
    for (var i = 0; i < names.length; i++) {
        var k = names[i];
        if (k !== "prototype" && k !== "length" && k !== "name" && !Object.prototype.hasOwnProperty.call(Number, k))
            Object.defineProperty(Number, k, Object.getOwnPropertyDescriptor(N, k));
    }
    Object.defineProperty(G, "Number", { value: Number, enumerable: false, writable: true, configurable: true });
})(this);
