var x = "outer"; function f(a = x) { var x = "inner"; return a } console.log(f());
