var o = {w: 5}; with (o) { console.log(w); w = 6 } console.log(o.w); with (Math) console.log(max(1, 2));
