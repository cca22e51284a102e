function f() {
  return
  42
}
console.log(f())
