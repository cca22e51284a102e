// Node side: the compiler's helpers as the natives would behave.
var $jsc_iterator = function (x) {
    if (x == null || typeof x[Symbol.iterator] !== "function")
        throw new TypeError(String(x) + " is not iterable");
    return x[Symbol.iterator]();
};
var $jsc_to_array = function (x) { return Array.from($jsc_iterator(x) && x); };
var $jsc_iter_close = function (it) { if (it.return != null) it.return(); };
var $jsc_typeof = function (v) { return typeof v; };
var $jsc_drain = function () {};
var $jsc_await = function (v, f, r) { Promise.resolve(v).then(f, r); };
