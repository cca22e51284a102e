// module: promise
// needs: iterator
// triggers: Promise then catch finally await async queueMicrotask $jsc_drain $jsc_await
// defines: Promise AggregateError queueMicrotask $jsc_drain $jsc_await $jsc_settle $jsc_unhandled
//
// Promise (ES2020, plus any() and AggregateError of ES2021) after the spec's abstract
// operations, so that callbacks run in the same order as in other engines; a microtask
// queue; and the executor's hooks:
//   $jsc_drain()          runs queued jobs until the queue is empty
//   $jsc_settle(v)        drains, then says how v (a value or thenable) ended:
//                         {state: 0 pending | 1 fulfilled | 2 rejected, value}
//   $jsc_unhandled()      the reasons of rejected promises that never got a handler
//   $jsc_await(v, f, r)   Await for lowered async code: f/r get v's outcome, one tick later
//                         for a native promise, without creating a derived promise
// A promise's state is a record kept under a hidden property, so JSON.stringify(promise)
// gives {} as elsewhere. Handlers are called with `this` undefined.
(function (G) {
    "use strict";
    var queue = [], head = 0, pending = [], KEY = "@@jsc_promise", hasOwn = Object.prototype.hasOwnProperty;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function enqueue(job, a, b, c) { queue.push(job, a, b, c); }
    function drain() {
        while (head < queue.length) {
            var i = head;
            head += 4;
            queue[i](queue[i + 1], queue[i + 2], queue[i + 3]);
        }
        queue.length = 0;
        head = 0;
    }
    function isObj(x) { return x !== null && (typeof x === "object" || typeof x === "function"); }
    function recOf(p) { return isObj(p) && hasOwn.call(p, KEY) ? p[KEY] : undefined; }
    function init(p) {
        var rec = { p: p, s: 0, v: undefined, q: [], h: false };
        Object.defineProperty(p, KEY, { value: rec });
        return rec;
    }
    function settle(rec, s, v) {
        if (rec.s !== 0)
            return;
        var q = rec.q;
        rec.s = s;
        rec.v = v;
        rec.q = null;
        if (s === 2 && !rec.h)
            pending.push(rec);
        for (var i = 0; i < q.length; i++)
            enqueue(react, q[i], rec);
    }
    function resolveRec(rec, x) {
        if (x === rec.p)
            return settle(rec, 2, new TypeError("Chaining cycle detected for promise #<Promise>"));
        if (isObj(x)) {
            var then;
            try {
                then = x.then;
            } catch (e) {
                return settle(rec, 2, e);
            }
            if (typeof then === "function")
                return enqueue(adopt, rec, x, then);
        }
        settle(rec, 1, x);
    }
    // The pair of resolving functions handed out to executors and thenables: the first call
    // of either decides, later calls do nothing.
    function resolvers(rec) {
        var done = false;
        return [function (x) {
            if (!done) {
                done = true;
                resolveRec(rec, x);
            }
        }, function (e) {
            if (!done) {
                done = true;
                settle(rec, 2, e);
            }
        }];
    }
    function adopt(rec, x, then) {
        var fns = resolvers(rec);
        try {
            then.call(x, fns[0], fns[1]);
        } catch (e) {
            fns[1](e);
        }
    }
    // A reaction {c: capability or null, f, r}; the job runs the handler for rec's state.
    function react(reaction, rec) {
        var h = rec.s === 1 ? reaction.f : reaction.r, ok = rec.s === 1, x = rec.v, c = reaction.c;
        if (h !== undefined) {
            try {
                x = h.call(undefined, x);
                ok = true;
            } catch (e) {
                x = e;
                ok = false;
            }
        }
        if (c === null)
            return;
        if (c.rec !== null)
            ok ? resolveRec(c.rec, x) : settle(c.rec, 2, x);
        else
            (ok ? c.res : c.rej).call(undefined, x);
    }
    function perform(rec, f, r, cap) {
        var reaction = { c: cap, f: typeof f === "function" ? f : undefined, r: typeof r === "function" ? r : undefined };
        if (rec.s === 0)
            rec.q.push(reaction);
        else
            enqueue(react, reaction, rec);
        rec.h = true;
    }
    function capability(C) {
        if (C === Promise) {
            var p = Object.create(Promise.prototype);
            return { p: p, rec: init(p) };
        }
        if (typeof C !== "function")
            throw new TypeError("Promise resolve or reject function is not callable");
        var cap = { p: undefined, rec: null, res: undefined, rej: undefined };
        cap.p = new C(function (res, rej) {
            if (cap.res !== undefined || cap.rej !== undefined)
                throw new TypeError("Promise executor has already been invoked with non-undefined arguments");
            cap.res = res;
            cap.rej = rej;
        });
        if (typeof cap.res !== "function" || typeof cap.rej !== "function")
            throw new TypeError("Promise resolve or reject function is not callable");
        return cap;
    }
    function capResolve(cap, x) { cap.rec !== null ? resolveRec(cap.rec, x) : cap.res.call(undefined, x); }
    function capReject(cap, e) { cap.rec !== null ? settle(cap.rec, 2, e) : cap.rej.call(undefined, e); }
    function Promise(executor) {
        if (!(this instanceof Promise) || recOf(this) !== undefined)
            throw new TypeError("Promise constructor cannot be invoked without 'new'");
        if (typeof executor !== "function")
            throw new TypeError("Promise resolver " + (isObj(executor) ? "#<Object>" : String(executor)) + " is not a function");
        var fns = resolvers(init(this));
        try {
            executor(fns[0], fns[1]);
        } catch (e) {
            fns[1](e);
        }
    }
    var P = Promise.prototype;
    function ctorOf(p) {
        var C = p.constructor;
        return C === undefined ? Promise : C;
    }
    def(P, "then", function then(f, r) {
        var rec = recOf(this);
        if (rec === undefined)
            throw new TypeError("Method Promise.prototype.then called on incompatible receiver " + String(this));
        var cap = capability(ctorOf(this));
        perform(rec, f, r, cap);
        return cap.p;
    });
    def(P, "catch", function (r) { return this.then(undefined, r); });
    def(P, "finally", function (f) {
        if (typeof f !== "function")
            return this.then(f, f);
        var C = ctorOf(this);
        return this.then(function (v) {
            return resolveWith(C, f()).then(function () { return v; });
        }, function (e) {
            return resolveWith(C, f()).then(function () { throw e; });
        });
    });
    Object.defineProperty(P, "@@toStringTag", { value: "Promise", configurable: true });
    function resolveWith(C, x) {
        if (!isObj(C))
            throw new TypeError("PromiseResolve called on non-object");
        if (recOf(x) !== undefined && x.constructor === C)
            return x;
        var cap = capability(C);
        capResolve(cap, x);
        return cap.p;
    }
    def(Promise, "resolve", function resolve(x) { return resolveWith(this, x); });
    def(Promise, "reject", function reject(e) {
        var cap = capability(this);
        capReject(cap, e);
        return cap.p;
    });
    // all/allSettled/any/race over an iterable; `step(C, cap, value, index, st)` starts one
    // element; st.n counts elements still outstanding (1 extra until the loop ends).
    function combinator(name, C, iterable, step, done) {
        var cap = capability(C), st = { n: 1, out: [] }, it = null, inIter = true;
        try {
            var resolve = C.resolve;
            if (typeof resolve !== "function")
                throw new TypeError("Promise resolve or reject function is not callable");
            it = G.$jsc_iterator(iterable);
            for (var i = 0; ; i++) {
                inIter = true;
                var ir = it.next();
                if (ir.done)
                    break;
                var r = ir.value;
                inIter = false;
                if (done !== null) {
                    st.out.push(undefined);
                    st.n++;
                }
                step(resolve.call(C, r), cap, i, st);
            }
            if (done !== null && --st.n === 0)
                done(cap, st);
        } catch (e) {
            if (it !== null && !inIter)
                try { G.$jsc_iter_close(it); } catch (ignored) { }
            capReject(cap, e);
        }
        return cap.p;
    }
    function once(fn) {
        var called = false;
        return function (x) {
            if (!called) {
                called = true;
                fn(x);
            }
        };
    }
    def(Promise, "all", function all(iterable) {
        return combinator("all", this, iterable, function (p, cap, i, st) {
            p.then(once(function (v) {
                st.out[i] = v;
                if (--st.n === 0)
                    capResolve(cap, st.out);
            }), function (e) { capReject(cap, e); });
        }, function (cap, st) { capResolve(cap, st.out); });
    });
    def(Promise, "allSettled", function allSettled(iterable) {
        return combinator("allSettled", this, iterable, function (p, cap, i, st) {
            var seen = false;
            function one(rec) {
                if (seen)
                    return;
                seen = true;
                st.out[i] = rec;
                if (--st.n === 0)
                    capResolve(cap, st.out);
            }
            p.then(function (v) { one({ status: "fulfilled", value: v }); },
                function (e) { one({ status: "rejected", reason: e }); });
        }, function (cap, st) { capResolve(cap, st.out); });
    });
    def(Promise, "any", function any(iterable) {
        return combinator("any", this, iterable, function (p, cap, i, st) {
            p.then(function (v) { capResolve(cap, v); }, once(function (e) {
                st.out[i] = e;
                if (--st.n === 0)
                    capReject(cap, aggregate(st.out));
            }));
        }, function (cap, st) { capReject(cap, aggregate(st.out)); });
    });
    def(Promise, "race", function race(iterable) {
        return combinator("race", this, iterable, function (p, cap) {
            p.then(function (v) { capResolve(cap, v); }, function (e) { capReject(cap, e); });
        }, null);
    });
    function AggregateError(errors, message) {
        var e = new Error(message === undefined ? "" : String(message));
        if (!(this instanceof AggregateError))
            return new AggregateError(errors, message);
        def(this, "message", e.message);
        def(this, "stackTrace", e.stackTrace);
        def(this, "errors", G.$jsc_to_array(errors));
    }
    AggregateError.prototype = Object.create(Error.prototype);
    def(AggregateError.prototype, "constructor", AggregateError);
    def(AggregateError.prototype, "name", "AggregateError");
    def(AggregateError.prototype, "message", "");
    function aggregate(errors) { return new AggregateError(errors, "All promises were rejected"); }
    def(P, "constructor", Promise);
    def(G, "Promise", Promise);
    def(G, "AggregateError", AggregateError);
    def(G, "queueMicrotask", function queueMicrotask(f) {
        if (typeof f !== "function")
            throw new TypeError("The \"callback\" argument must be of type function");
        enqueue(function (fn) {
            try { fn(); } catch (e) { pending.push({ s: 2, v: e, h: false }); }
        }, f);
    });
    def(G, "$jsc_drain", drain);
    def(G, "$jsc_await", function (v, f, r) {
        var rec = recOf(v);
        if (rec === undefined || v.constructor !== Promise)
            rec = recOf(resolveWith(Promise, v));
        perform(rec, f, r, null);
    });
    def(G, "$jsc_settle", function (v) {
        var rec = { s: 1, v: v };
        if (isObj(v)) {
            rec = recOf(resolveWith(Promise, v));
            rec.h = true;
        }
        drain();
        return { state: rec.s, value: rec.v };
    });
    def(G, "$jsc_unhandled", function () {
        var out = [];
        for (var i = 0; i < pending.length; i++)
            if (!pending[i].h)
                out.push(pending[i].v);
        pending.length = 0;
        return out;
    });
})(this);
