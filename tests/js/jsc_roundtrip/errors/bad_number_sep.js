// error: 2:10: Numeric separators are allowed only between digits
var n = 1__0;
