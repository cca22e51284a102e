var s = "a b c"; console.log(s.length, s.charCodeAt(1).toString(16), s.charCodeAt(3).toString(16));
