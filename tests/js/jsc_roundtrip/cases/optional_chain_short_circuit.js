var n = null, count = 0; n?.a[count++].b(count++); console.log(count); var x = n?.a.b.c.d; console.log(x);
