// error: 2:21: Unexpected identifier 'yield' (reserved here)
function* g() { var yield = 1; }
