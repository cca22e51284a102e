// module: fetch
// needs: promise
// triggers: fetch&then fetch&await fetch&async fetch&json fetch&text fetch&Promise fetch&catch fetch&finally
// defines: fetch $jsc_fetch_async
//
// fetch in the promise style on top of the executor's synchronous fetch(url, options, body).
// A trigger "a&b" asks for both names, so a task that only uses the synchronous style
// (`const r = fetch(url); r.body`) does not load this module at all.
//
// The response keeps its fields {ok, status, statusText, headers, body} and JSON form, and
// gains non-enumerable methods:
//   json()  a promise of the body as a value (the host already parsed a JSON body)
//   text()  a promise of the body as text (a parsed body is turned back into JSON text)
//   then()  makes the response a thenable, so `await fetch(url)` and fetch(url).then(f)
//           work: it resolves to a copy of the response without then() (with json/text)
//   headers.get(name) / headers.has(name): case-insensitive lookup
// Errors (HttpError, NetworkError, ...) are still thrown by the call itself: `await` inside
// try/catch sees them, a .catch() chained to fetch(...) does not. $jsc_fetch_async(url,
// options, body) is the variant that rejects instead, for code that needs it.
(function (G) {
    "use strict";
    var native = G.fetch, hasOwn = Object.prototype.hasOwnProperty;
    if (typeof native !== "function")
        return;
    function def(o, k, v) {
        Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
    function header(h, name) {
        if (h === null || typeof h !== "object")
            return null;
        name = String(name).toLowerCase();
        for (var k in h)
            if (hasOwn.call(h, k) && k.toLowerCase() === name)
                return h[k] == null ? null : String(h[k]);
        return null;
    }
    function json() {
        var b = this.body;
        if (typeof b !== "string")
            return Promise.resolve(b);
        try {
            return Promise.resolve(JSON.parse(b));
        } catch (e) {
            if (/json/i.test(header(this.headers, "content-type") || ""))
                return Promise.resolve(b);
            return Promise.reject(new SyntaxError("Unexpected token in JSON: " + e.message));
        }
    }
    function text() {
        var b = this.body;
        return Promise.resolve(typeof b === "string" ? b : b === undefined ? "" : JSON.stringify(b));
    }
    function decorate(r, thenable) {
        if (r === null || typeof r !== "object")
            return r;
        def(r, "json", json);
        def(r, "text", text);
        if (thenable)
            def(r, "then", then);
        var h = r.headers;
        if (h !== null && typeof h === "object" && !hasOwn.call(h, "get")) {
            def(h, "get", function get(name) { return header(this, name); });
            def(h, "has", function has(name) { return header(this, name) !== null; });
        }
        return r;
    }
    function then(f, r) {
        var copy = {};
        for (var k in this)
            if (hasOwn.call(this, k))
                copy[k] = this[k];
        return Promise.resolve(decorate(copy, false)).then(f, r);
    }
    def(G, "fetch", function fetch(url, options, body) {
        return decorate(native(url, options, body), true);
    });
    def(G, "$jsc_fetch_async", function (url, options, body) {
        return new Promise(function (resolve) {
            resolve(decorate(native(url, options, body), false));
        });
    });
})(this);
