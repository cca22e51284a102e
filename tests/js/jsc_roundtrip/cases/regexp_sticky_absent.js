console.log(/a.c/m.test("a\nc"), /^b/m.test("a\nb"), /A/i.flags);
