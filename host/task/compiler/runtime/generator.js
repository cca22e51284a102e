// module: generator
// needs: symbol
// defines: $jsc_generator
//
// $jsc_generator(thisArg, body) returns a generator object driving `body`, the state machine
// that lower_generator.c makes of a generator function's body. The body is called as
// body.call(thisArg, st) and runs from case `st.l` of its switch until it returns an
// instruction (an array; `undefined` = return undefined):
//   [2, value]          return value (finally blocks run first)
//   [3, label]          jump to label (leaving try regions runs their finally blocks)
//   [4, value, label]   yield value; resume at label with st.v = the value sent by next()
//   [5, iterable, label] yield* iterable; resume at label with st.v = its return value
//   [7]                 the end of a finally block: carry on with the completion it delayed
// A `throw` in the body is an exception at label st.l. Try statements with a yield in them
// push [tryLabel, catchLabel || 0, finallyLabel || 0, endLabel] on st.t when entered;
// labels grow with source position, so comparing st.l with these tells which part runs.
var $jsc_generator = (function () {
    var ITER = typeof Symbol === "function" && Symbol.iterator ? Symbol.iterator : "@@iterator";
    var NEXT = 0, THROW = 1, RETURN = 2, JUMP = 3, YIELD = 4, DELEGATE = 5, ENDFINALLY = 7;
    var SUSPENDED = 0, RUNNING = 1, DONE = 2;

    function State(self, body) {
        this.self = self;
        this.body = body;
        this.l = 0;         // label of the case to run next
        this.v = undefined; // value sent by next(), or the exception a catch block receives
        this.t = [];        // try regions entered and not yet left
        this.p = [];        // completions waiting for the end of a finally block
        this.s = SUSPENDED;
        this.y = null;      // the iterator yield* delegates to
        this.yn = null;     // its next method, read once
    }

    function hide(o, k, v) {
        Object.defineProperty(o, k, {value: v, enumerable: false, writable: true,
                                     configurable: true});
    }

    // Iterator over an array-like (arrays, arguments, strings by code point) for engines
    // where the iterator module has not given them a Symbol.iterator method.
    function ArrayLikeIterator(a) {
        this.a = a;
        this.i = 0;
    }
    hide(ArrayLikeIterator.prototype, "next", function () {
        var a = this.a, i = this.i, c;
        if (a === null || i >= a.length) {
            this.a = null;
            return {value: undefined, done: true};
        }
        if (typeof a === "string") {
            c = a.charCodeAt(i);
            if (c >= 0xd800 && c <= 0xdbff && i + 1 < a.length) {
                c = a.charCodeAt(i + 1);
                if (c >= 0xdc00 && c <= 0xdfff) {
                    this.i = i + 2;
                    return {value: a.substr(i, 2), done: false};
                }
            }
            this.i = i + 1;
            return {value: a.charAt(i), done: false};
        }
        this.i = i + 1;
        return {value: a[i], done: false};
    });
    hide(ArrayLikeIterator.prototype, ITER, function () { return this; });

    function getIterator(x) {
        var f, it, tag;
        if (x === null || x === undefined)
            throw new TypeError(x + " is not iterable");
        f = x[ITER];
        if (typeof f === "function") {
            it = f.call(x);
            if (Object(it) !== it)
                throw new TypeError("Result of the Symbol.iterator method is not an object");
            return it;
        }
        tag = Object.prototype.toString.call(x);
        if (typeof x === "string" || tag === "[object Array]" || tag === "[object Arguments]" ||
            tag === "[object String]")
            return new ArrayLikeIterator(typeof x === "object" && tag === "[object String]" ?
                                         String(x) : x);
        throw new TypeError(typeof x + " is not iterable");
    }

    // One step of yield*: pass (op, arg) on to the delegate. Returns the delegate's result
    // when it yields, else null after leaving the completion to go on with in st.op/st.arg.
    function delegate(st, op, arg) {
        var it = st.y, m, r;
        try {
            if (op === NEXT) {
                r = st.yn.call(it, arg);
            } else if (op === THROW) {
                m = it["throw"];
                if (m === undefined || m === null) {
                    st.y = null;
                    m = it["return"];
                    if (m !== undefined && m !== null)
                        m.call(it);
                    throw new TypeError("The iterator does not provide a 'throw' method");
                }
                r = m.call(it, arg);
            } else {
                m = it["return"];
                if (m === undefined || m === null) {
                    st.y = null;
                    st.op = RETURN;
                    st.arg = arg;
                    return null;
                }
                r = m.call(it, arg);
            }
            if (Object(r) !== r)
                throw new TypeError("Iterator result " + r + " is not an object");
            if (!r.done)
                return r;
            st.y = null;
            st.op = op === RETURN ? RETURN : NEXT;
            st.arg = r.value;
        } catch (e) {
            st.y = null;
            st.op = THROW;
            st.arg = e;
        }
        return null;
    }

    function finish(st) {
        st.s = DONE;
        st.body = st.self = st.y = st.yn = null;
        st.t = st.p = null;
    }

    // Route an abrupt completion (throw, return, jump) through the innermost try region.
    // Returns 1 when the body must run next (from st.l, with st.v set), 0 to look again.
    function route(st, op, arg) {
        var t = st.t.length ? st.t[st.t.length - 1] : null;
        if (t === null || (op === JUMP && arg > t[0] && arg < t[3])) {
            if (op !== JUMP)
                return -1;
            st.l = arg;
            return 1;
        }
        if (op === THROW && t[1] && st.l < t[1]) {
            st.l = t[1];
            st.v = arg;
            return 1;
        }
        if (t[2] && st.l < t[2]) {
            st.l = t[2];
            st.p.push([op, arg]);
            return 1;
        }
        if (t[2])
            st.p.pop(); /* abrupt exit from a finally block drops what it delayed */
        st.t.pop();
        return 0;
    }

    function run(st, op, arg) {
        var r, k;
        for (;;) {
            if (st.y !== null) {
                r = delegate(st, op, arg);
                if (r !== null) {
                    st.s = SUSPENDED;
                    return r;
                }
                op = st.op;
                arg = st.arg;
                continue;
            }
            if (op === NEXT) {
                st.v = arg;
            } else if (op === YIELD) {
                st.s = SUSPENDED;
                return {value: arg, done: false};
            } else if (op === DELEGATE) {
                try {
                    st.y = getIterator(arg);
                    st.yn = st.y.next;
                    op = NEXT;
                    arg = undefined;
                } catch (e) {
                    op = THROW;
                    arg = e;
                }
                continue;
            } else if (op === ENDFINALLY) {
                st.t.pop();
                r = st.p.pop();
                op = r[0];
                arg = r[1];
                continue;
            } else {
                k = route(st, op, arg);
                if (k === 0)
                    continue;
                if (k < 0) {
                    finish(st);
                    if (op === THROW)
                        throw arg;
                    return {value: arg, done: true};
                }
            }
            try {
                r = st.body.call(st.self, st);
            } catch (e) {
                op = THROW;
                arg = e;
                continue;
            }
            if (r === undefined) {
                op = RETURN;
                arg = undefined;
            } else {
                op = r[0];
                arg = r[1];
                if (op === YIELD || op === DELEGATE)
                    st.l = r[2];
            }
        }
    }

    function resume(g, op, arg) {
        var st = g.$jsc_gen;
        if (!st)
            throw new TypeError("next method called on an object that is not a generator");
        if (st.s === RUNNING)
            throw new TypeError("Generator is already running");
        if (st.s === DONE) {
            if (op === THROW)
                throw arg;
            return {value: op === RETURN ? arg : undefined, done: true};
        }
        st.s = RUNNING;
        try {
            return run(st, op, arg);
        } finally {
            if (st.s === RUNNING)
                finish(st);
        }
    }

    function Generator() {}
    hide(Generator.prototype, "next", function (v) { return resume(this, NEXT, v); });
    hide(Generator.prototype, "throw", function (e) { return resume(this, THROW, e); });
    hide(Generator.prototype, "return", function (v) { return resume(this, RETURN, v); });
    hide(Generator.prototype, ITER, function () { return this; });

    return function (self, body) {
        var g = new Generator();
        hide(g, "$jsc_gen", new State(self, body));
        return g;
    };
})();
