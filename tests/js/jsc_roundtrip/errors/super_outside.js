// error: 2:23: 'super' keyword unexpected here
function f() { return super.x; }
