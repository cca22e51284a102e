// module: block
// defines: $jsc_const_assign $jsc_tdz $jsc_tdz_fail $jsc_tdz_set
//
// Helpers of lowered let/const (lower_block.c, lower_block_tdz.c), implemented natively too
// (plugins/executor-mujs/mujs_native_lang.c: keep the two alike):
//   $jsc_const_assign()       what an assignment to a `const` does after evaluating its
//                             operands
//   $jsc_tdz                  the value of a let/const/class variable before its declaration
//                             ran (only for variables that may be used that early)
//   $jsc_tdz_fail(name)       the ReferenceError of such a use
//   $jsc_tdz_set(cur, v, name)  v, or that error when cur is still $jsc_tdz
(function (G) {
    function hide(k, v) {
        Object.defineProperty(G, k, {value: v, enumerable: false, writable: true,
                                     configurable: true});
    }
    hide("$jsc_const_assign", function () {
        throw new TypeError("Assignment to constant variable.");
    });
    var tdz = {};
    function fail(name) {
        throw new ReferenceError("Cannot access '" + name + "' before initialization");
    }
    hide("$jsc_tdz", tdz);
    hide("$jsc_tdz_fail", fail);
    hide("$jsc_tdz_set", function (cur, v, name) {
        if (cur === tdz)
            fail(name);
        return v;
    });
})(this);
