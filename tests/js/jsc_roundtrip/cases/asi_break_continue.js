var outer = "label and variable";
outer: for (var i = 0; i < 3; i++) { for (var j = 0; j < 3; j++) { if (j == 1) continue
outer
 if (i == 2) break
 console.log(i, j) } }
console.log(outer)
