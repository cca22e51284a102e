switch (1) { case 1: let x = "one"; console.log(x); break; case 2: x = 2 }
