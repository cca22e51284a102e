console.log("a\nb\tc\\d\"e'f", 'single "q"', "\x41\u0042\u{43}\u{1F600}", "\0", "\v\f\b\r".length, "line\
continued");
