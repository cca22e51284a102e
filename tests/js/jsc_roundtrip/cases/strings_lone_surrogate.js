var s = "\uD800"; console.log(s.length, s.charCodeAt(0), "\uDC00x".charCodeAt(0), encodeURIComponent("\uD83D\uDE00"));
