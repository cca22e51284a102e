// module: holes
// defines: $jsc_holes
// Elisions in array literals ([1, , 3]): MuJS stores an undefined element where ES leaves the
// index absent; the compiler passes the hole indices here to delete them (lower_expr.c).
// Implemented natively too (plugins/executor-mujs/mujs_native_lang.c: keep the two alike).
function $jsc_holes(a, holes) {
    for (var i = 0; i < holes.length; i++)
        delete a[holes[i]];
    return a;
}
