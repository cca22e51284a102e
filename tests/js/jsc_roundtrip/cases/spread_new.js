function P(a, b) { this.s = a + b } console.log(new P(...[1, 2]).s);
