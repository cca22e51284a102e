// Plain ES5 on purpose: this sample is the original Ratchet's addition task as it was
// written (a parenthesised function expression, `var`, string concatenation), kept to show
// that ES5 code runs as it is; the compiler passes it through untouched. The other samples
// are written in today's JavaScript.
(function (input) {
    var num1 = input.num1;
    var num2 = input.num2;
    if (typeof num1 !== 'number' || typeof num2 !== 'number') {
        throw new Error('num1 and num2 must be numbers');
    }
    return { sum: num1 + num2 };
})
