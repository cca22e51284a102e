// module: fnname
// triggers: name
// defines: $jsc_fname Function.prototype.name
// Function names (ES2015): MuJS functions have no `name`. A getter on Function.prototype reads
// a function's own name from its source text ("function g(a) {...}", "function Math.max()"),
// and $jsc_fname gives an anonymous function the name it was assigned to (the compiler calls
// it only in tasks that mention `name`). Implemented natively too
// (plugins/executor-mujs/mujs_native_lang.c: keep the two alike).
Object.defineProperty(Function.prototype, "name", {
    configurable: true,
    get: function () {
        var m = /^function\s*([^\s(]*)/.exec(Function.prototype.toString.call(this));
        var name = m ? m[1] : "";
        return name.slice(name.lastIndexOf(".") + 1);
    }
});
function $jsc_fname(fn, name) {
    Object.defineProperty(fn, "name", {value: name, configurable: true});
    return fn;
}
