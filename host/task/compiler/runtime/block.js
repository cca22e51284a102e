// module: block
//
// $jsc_const_assign(): what an assignment to a `const` does after evaluating its operands
// (lower_block.c).
(function (G) {
    Object.defineProperty(G, "$jsc_const_assign", {
        value: function () { throw new TypeError("Assignment to constant variable."); },
        enumerable: false, writable: true, configurable: true
    });
})(this);
