// error: 2:10: named capture groups (?<name>...) in regular expressions are not supported
var r = /(?<year>\d{4})/;
