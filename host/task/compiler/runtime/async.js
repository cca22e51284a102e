// module: async
// needs: promise generator
// defines: $jsc_async
//
// $jsc_async(thisArg, body) runs the state machine of an async function (see generator.js;
// there `await x` is the instruction [4, x, label]) and returns the promise of its result.
// The body runs synchronously up to its first await, as the language requires; each await
// resumes through $jsc_await (promise.js), so awaiting a settled native promise or a plain
// value takes one microtask, and a thenable two, as in engines that implement ES2019's
// await. A throw that escapes the body rejects the promise.
var $jsc_async = function (self, body) {
    var g = $jsc_generator(self, body);
    return new Promise(function (resolve, reject) {
        function step(r) {
            if (r.done)
                resolve(r.value);
            else
                $jsc_await(r.value, onFulfilled, onRejected);
        }
        function onFulfilled(v) {
            var r;
            try {
                r = g.next(v);
            } catch (e) {
                reject(e);
                return;
            }
            step(r);
        }
        function onRejected(e) {
            var r;
            try {
                r = g["throw"](e);
            } catch (x) {
                reject(x);
                return;
            }
            step(r);
        }
        onFulfilled(undefined);
    });
};
