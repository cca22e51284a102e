var o = { t(s, x) { return s[0] + x + this.n }, n: "!" }; console.log(o.t`v=${5}`, o["t"]`w${6}`);
