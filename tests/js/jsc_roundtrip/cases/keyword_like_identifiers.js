var implements_ = 1, of = 2, target = 3, from = 4, as = 5, constructor = 6, prototype = 7; console.log(of + target + from + as + constructor + prototype);
