// module: string-matchall
// needs: symbol
// triggers: matchAll
// defines: String.prototype.matchAll
//
// String.prototype.matchAll: an iterator of match arrays (with index and input). The
// regular expression must be global, as the spec requires; the iterator works on a copy.
(function () {
    "use strict";
    function MatchIterator(re, s) { this.re = re; this.s = s; this.done = false; }
    Object.defineProperty(MatchIterator.prototype, "next", {
        value: function next() {
            if (this.done)
                return { value: undefined, done: true };
            var m = this.re.exec(this.s);
            if (m === null) {
                this.done = true;
                return { value: undefined, done: true };
            }
            if (m[0] === "")
                this.re.lastIndex = this.re.lastIndex + 1;
            return { value: m, done: false };
        }, enumerable: false, writable: true, configurable: true
    });
    Object.defineProperty(MatchIterator.prototype, "@@iterator", {
        value: function () { return this; }, enumerable: false, writable: true, configurable: true
    });
    Object.defineProperty(String.prototype, "matchAll", {
        value: function matchAll(regexp) {
            if (this == null)
                throw new TypeError("String.prototype.matchAll called on null or undefined");
            var s = String(this), re;
            if (regexp instanceof RegExp) {
                if (!regexp.global)
                    throw new TypeError("String.prototype.matchAll called with a non-global RegExp argument");
                re = new RegExp(regexp.source, "g" + (regexp.ignoreCase ? "i" : "") + (regexp.multiline ? "m" : ""));
                re.lastIndex = regexp.lastIndex;
            } else {
                re = new RegExp(regexp === undefined ? "(?:)" : String(regexp), "g");
            }
            return new MatchIterator(re, s);
        }, enumerable: false, writable: true, configurable: true
    });
})();
