var /* a */ x /* b */ = /* c */ 1 // d
/* multi
line */ + 2; // trailing
console.log(x /* e */) /* f */ ;
