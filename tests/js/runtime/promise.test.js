// modules: promise
// Ordering of callbacks, adoption of thenables, combinators, errors.
var p1 = Promise.resolve(1);
p1.then(function (v) { out("a1", v); return v + 1; }).then(function (v) { out("a2", v); });
p1.then(function (v) { out("b1", v); });
Promise.reject(new TypeError("no")).catch(function (e) { out("c1", e); return "rec"; }).then(function (v) { out("c2", v); });
new Promise(function (res) { out("executor runs synchronously"); res(Promise.resolve("inner")); })
    .then(function (v) { out("d: adopted after two extra ticks", v); });
var thenable = { then: function (f) { out("thenable.then called"); f(42); } };
Promise.resolve(thenable).then(function (v) { out("e", v); });
new Promise(function (res, rej) { res(1); rej(2); res(3); }).then(function (v) { out("f first wins", v); });
new Promise(function () { throw new RangeError("in executor"); }).then(null, function (e) { out("g", e); });
var cyc = new Promise(function (res) { setTimeoutLike(function () { res(cyc); }); });
function setTimeoutLike(f) { Promise.resolve().then(function () { }).then(f); }
cyc.then(null, function (e) { out("h cycle", e.name); });
Promise.resolve(5).finally(function () { out("i finally"); return 99; }).then(function (v) { out("i value kept", v); });
Promise.reject(6).finally(function () { out("j finally"); }).catch(function (v) { out("j reason kept", v); });
Promise.resolve(7).finally(function () { throw 8; }).catch(function (v) { out("k finally throws", v); });
Promise.all([1, Promise.resolve(2), { then: function (f) { f(3); } }]).then(function (v) { out("all", v); });
Promise.all([]).then(function (v) { out("all empty", v); });
Promise.all([Promise.reject("x"), Promise.resolve(1)]).catch(function (e) { out("all rejects", e); });
Promise.allSettled([Promise.reject("x"), 1]).then(function (v) { out("allSettled", v); });
Promise.race([new Promise(function () { }), Promise.resolve("fast")]).then(function (v) { out("race", v); });
Promise.any([Promise.reject(1), Promise.resolve(2)]).then(function (v) { out("any", v); });
Promise.any([Promise.reject(1), Promise.reject(2)]).catch(function (e) { out("any none", e.name, e.errors, e instanceof Error); });
Promise.all("ab").then(function (v) { out("all over string", v); });
Promise.all(5).catch(function (e) { out("all non-iterable", e.name); });
var order = [];
Promise.resolve().then(function () { order.push(1); Promise.resolve().then(function () { order.push(3); }); })
    .then(function () { order.push(4); });
Promise.resolve().then(function () { order.push(2); }).then(function () { order.push(5); }).then(function () { out("nested order", order); });
out("sync end", typeof Promise.prototype.then, Object.keys(Promise.resolve(1)), JSON.stringify(Promise.resolve(1)));
throws(function () { Promise(function () { }); });
throws(function () { new Promise(5); });
out(Promise.resolve(p1) === p1, Promise.reject(1) instanceof Promise);
Promise.reject(1).catch(function () { });
var q = Promise.resolve(1);
q.then(function () { out("then 1"); });
q.then(function () { out("then 2"); });
queueMicrotask(function () { out("microtask"); });
