var o = { v: 3, m() { return this && this.v } }; console.log(o?.m(), o.m?.(), (o?.m)(), o?.["m"]());
