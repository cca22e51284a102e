// error: 2:10: Rest element must be last element
var [...a, b] = c;
