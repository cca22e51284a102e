// error: 2:3: Invalid destructuring assignment target
({m() {}} = x);
