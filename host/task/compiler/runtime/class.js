// module: class
// defines: $jsc_class
// Helpers for lowered classes (lower_class.c), one module each, so that a task loads only
// those its code calls (the executor implements most of them natively: mujs_native.c, which
// must keep the same semantics):
//   $jsc_class(C, P, name, ext)   sets up constructor C: prototype chain from P when the class
//                                 has `extends` (P a constructor or null), statics of P copied
//                                 (ES5 cannot change a function's prototype), C.name
// Object.getPrototypeOf(C) of a derived class C gives its parent class (ES5 cannot set a
// function's prototype: $jsc_class records the parent, hidden, and getPrototypeOf reads it).
(function (G) {
    var def = Object.defineProperty, gopd = Object.getOwnPropertyDescriptor;
    var names = Object.getOwnPropertyNames, getProto = Object.getPrototypeOf;
    var skip = {prototype: 1, length: 1, name: 1, arguments: 1, caller: 1};
    function hide(o, k, v) {
        def(o, k, {value: v, writable: true, configurable: true, enumerable: false});
    }
    function describe(v) {
        return v === null ? "null" : typeof v === "function" ? "function" : String(v);
    }
    hide(G, "$jsc_class", function (C, P, name, ext) {
        if (ext) {
            if (P !== null && typeof P !== "function")
                throw new TypeError("Class extends value " + describe(P) +
                                    " is not a constructor or null");
            var proto = P === null ? null : P.prototype;
            if (proto !== null && typeof proto !== "object" && typeof proto !== "function")
                throw new TypeError("Class extends value does not have valid prototype property " +
                                    describe(proto));
            C.prototype = Object.create(proto);
            hide(C.prototype, "constructor", C);
            if (P !== null) {
                hide(C, "$jsc_parent", P);
                var ks = names(P), i;
                for (i = 0; i < ks.length; i++)
                    if (!skip.hasOwnProperty(ks[i]) && !C.hasOwnProperty(ks[i]))
                        def(C, ks[i], gopd(P, ks[i]));
            }
        }
        def(C, "name", {value: name, configurable: true});
    });
    hide(Object, "getPrototypeOf", function (o) {
        if (typeof o === "function" && o.hasOwnProperty("$jsc_parent"))
            return o.$jsc_parent;
        return getProto(o);
    });
})(this);
// module: class-call
// defines: $jsc_class_call
// $jsc_class_call(C): throws the TypeError of calling a class without `new`
(function (G) {
    Object.defineProperty(G, "$jsc_class_call", {writable: true, configurable: true,
                                                 value: function (C) {
        throw new TypeError("Class constructor " + C.name + " cannot be invoked without 'new'");
    }});
})(this);
// module: class-this
// defines: $jsc_this_uninit
// $jsc_this_uninit(): the ReferenceError of `this` before super() in a derived constructor
(function (G) {
    Object.defineProperty(G, "$jsc_this_uninit", {writable: true, configurable: true,
                                                   value: function () {
        throw new ReferenceError("Must call super constructor in derived class before " +
                                 "accessing 'this' or returning from derived constructor");
    }});
})(this);
// module: class-method
// defines: $jsc_method
// $jsc_method(o, k, f): a method, non-enumerable as ES2015 defines them
(function (G) {
    var def = Object.defineProperty;
    def(G, "$jsc_method", {writable: true, configurable: true, value: function (o, k, f) {
        def(o, k, {value: f, writable: true, configurable: true, enumerable: false});
    }});
})(this);
// module: class-accessor
// defines: $jsc_accessor
// $jsc_accessor(o, k, g, s): a getter and/or setter (the other half is kept)
(function (G) {
    var def = Object.defineProperty;
    def(G, "$jsc_accessor", {writable: true, configurable: true, value: function (o, k, g, s) {
        var d = {enumerable: false, configurable: true};
        if (g)
            d.get = g;
        if (s)
            d.set = s;
        def(o, k, d);
    }});
})(this);
// module: class-super
// defines: $jsc_super_construct
// $jsc_super_construct(P, self, args): super(...args): runs P on self; a built-in Error
// parent fills self (message, stack) instead of a new object
(function (G) {
    var def = Object.defineProperty, gopd = Object.getOwnPropertyDescriptor;
    var names = Object.getOwnPropertyNames;
    function nativeError(P) {
        return P === Error || P === TypeError || P === RangeError || P === SyntaxError ||
               P === ReferenceError || P === EvalError || P === URIError;
    }
    def(G, "$jsc_super_construct", {writable: true, configurable: true, value: function (P, self, args) {
        if (P === null)
            throw new TypeError("Super constructor null of anonymous class is not a constructor");
        if (P === Object)
            return self;
        if (P === Array) {
            if (args.length === 1 && typeof args[0] === "number")
                self.length = args[0];
            else
                Array.prototype.push.apply(self, args);
            return self;
        }
        var r = P.apply(self, args);
        if (r === self || r === null || (typeof r !== "object" && typeof r !== "function"))
            return self;
        if (!nativeError(P))
            return r;
        var ks = names(r), i;
        for (i = 0; i < ks.length; i++)
            def(self, ks[i], gopd(r, ks[i]));
        if (!("stack" in self) && typeof r.stackTrace === "string")
            def(self, "stack", {value: (r.message ? r.name + ": " + r.message : r.name) + r.stackTrace,
                              writable: true, configurable: true});
        return self;
    }});
})(this);
// module: class-super-prop
// defines: $jsc_super_get $jsc_super_set
// $jsc_super_get(home, k, recv): super[k], looked up from home, getters run on recv
// $jsc_super_set(home, k, v, recv): super[k] = v
(function (G) {
    var def = Object.defineProperty, gopd = Object.getOwnPropertyDescriptor;
    var getProto = Object.getPrototypeOf;
    function hide(k, v) {
        def(G, k, {value: v, writable: true, configurable: true, enumerable: false});
    }
    function find(o, k) {
        for (; o !== null && o !== undefined; o = getProto(o)) {
            var d = gopd(o, k);
            if (d)
                return d;
        }
        return null;
    }
    hide("$jsc_super_get", function (home, k, recv) {
        var d = find(home, k);
        if (!d)
            return undefined;
        return d.get ? d.get.call(recv) : d.set ? undefined : d.value;
    });
    hide("$jsc_super_set", function (home, k, v, recv) {
        var d = find(home, k);
        if (d && d.set)
            d.set.call(recv, v);
        else
            recv[k] = v;
        return v;
    });
})(this);
