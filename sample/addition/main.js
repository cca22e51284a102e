(function (input) {
    var num1 = input.num1;
    var num2 = input.num2;
    if (typeof num1 !== 'number' || typeof num2 !== 'number') {
        throw new Error('num1 and num2 must be numbers');
    }
    return { sum: num1 + num2 };
})
