// error: 2:35: Unexpected token 'in' (expected 'of')
async function f() { for await (x in y) ; }
