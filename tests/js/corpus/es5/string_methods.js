function main(input) {
  var s = '  Hello, World  ';
  return [s.trim(), s.toUpperCase(), s.indexOf('World'), s.charAt(3), s.charCodeAt(2), s.substring(2, 7), s.lastIndexOf('l'), s.slice(-4), 'a-b-c'.split('-'), 'abc'.concat('def', 1)];
}
