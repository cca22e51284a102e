// module: objlit
// defines: $jsc_objspread $jsc_objaccessor $jsc_objproto
// Helpers for lowered object literals:
//   $jsc_objspread(t, s)         {...s}: copies the own enumerable properties of s (its
//                                getters run) onto t as data properties; null/undefined
//                                are ignored; returns t
//   $jsc_objaccessor(o, k, g, s) a get/set pair in a literal with computed keys or spread
//   $jsc_objproto(o)             {__proto__: p, ...}: a copy of o whose prototype is p (MuJS
//                                keeps `__proto__` as a plain own property of the literal)
(function (G) {
    var def = Object.defineProperty;
    function hide(k, f) {
        def(G, k, {value: f, writable: true, configurable: true, enumerable: false});
    }
    hide("$jsc_objspread", function (t, s) {
        if (s == null)
            return t;
        s = Object(s);
        var keys = Object.keys(s), i, k;
        if (Array.isArray(s)) // MuJS leaves array indices out of Object.keys
            for (i = 0; i < s.length; i++)
                if (i in s)
                    t[i] = s[i];
        for (i = 0; i < keys.length; i++) {
            k = keys[i];
            if (k === "__proto__")
                def(t, k, {value: s[k], writable: true, enumerable: true, configurable: true});
            else
                t[k] = s[k];
        }
        if (Object.getOwnPropertySymbols) {
            keys = Object.getOwnPropertySymbols(s);
            for (i = 0; i < keys.length; i++)
                if (Object.prototype.propertyIsEnumerable.call(s, keys[i]))
                    t[keys[i]] = s[keys[i]];
        }
        return t;
    });
    hide("$jsc_objaccessor", function (o, k, g, s) {
        var d = {enumerable: true, configurable: true};
        if (g)
            d.get = g;
        if (s)
            d.set = s;
        def(o, k, d);
    });
    hide("$jsc_objproto", function (o) {
        var p = o.__proto__, r, names, i;
        delete o.__proto__;
        if (p !== null && typeof p !== "object" && typeof p !== "function")
            return o;
        r = Object.create(p);
        names = Object.getOwnPropertyNames(o);
        for (i = 0; i < names.length; i++)
            def(r, names[i], Object.getOwnPropertyDescriptor(o, names[i]));
        return r;
    });
})(this);
