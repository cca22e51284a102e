// module: number
// triggers: isInteger isSafeInteger EPSILON MAX_SAFE_INTEGER MIN_SAFE_INTEGER isFinite isNaN parseFloat parseInt
// defines: Number.isFinite Number.isNaN Number.isInteger Number.isSafeInteger Number.parseFloat Number.parseInt Number.EPSILON Number.MAX_SAFE_INTEGER Number.MIN_SAFE_INTEGER
//
// Number.isInteger/isFinite/isNaN/isSafeInteger/parseFloat/parseInt, EPSILON and the safe
// integer bounds. (isFinite, isNaN, parseInt and parseFloat also name ES5 globals, so tasks
// that use those pay for this small module too.)
(function () {
    "use strict";
    function def(k, v) {
        Object.defineProperty(Number, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function fixed(k, v) { Object.defineProperty(Number, k, { value: v }); }
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
})();
