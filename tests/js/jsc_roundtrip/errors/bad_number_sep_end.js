// error: 2:11: Numeric separators are allowed only between digits
var n = 10_;
