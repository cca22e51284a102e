const a = 1
const b = [1, 2]
const c = `t`
;[3, 4].forEach(x => console.log(x))
;(function () { console.log(a, b.length, c) })()
