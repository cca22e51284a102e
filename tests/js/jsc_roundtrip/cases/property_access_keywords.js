var o = {}; o.if = 1; o.class = 2; o.new = 3; o.delete = 4; o.in = 5; o.typeof = 6; o.this = 7; console.log(o.if + o.class + o.new + o.delete + o.in + o.typeof + o.this);
