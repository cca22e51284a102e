// module: template
// defines: $jsc_template
// The strings array of a tagged template: frozen, with a frozen `raw` array as a
// non-enumerable property. Lowered code creates it once per call site and caches it.
function $jsc_template(cooked, raw) {
    Object.defineProperty(cooked, "raw", {value: Object.freeze(raw)});
    return Object.freeze(cooked);
}
