// error: 2:9: BigInt literals (10n) are not supported
var n = 10n;
