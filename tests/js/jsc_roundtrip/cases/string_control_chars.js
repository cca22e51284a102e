var s = "\x00\x01\x1f\x7f"; console.log(s.length, s.charCodeAt(0), s.charCodeAt(3), JSON.stringify(s));
