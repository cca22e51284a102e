// error: 2:28: Unexpected token '*'
var s = "日本😀"; var x = 1 +* 2;
