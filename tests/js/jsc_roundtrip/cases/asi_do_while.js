var i = 0; do i++; while (i < 5) console.log(i)
