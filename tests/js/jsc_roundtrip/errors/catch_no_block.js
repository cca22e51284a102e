// error: 2:18: Unexpected identifier 'x' (expected '{')
try {} catch (e) x;
