// Fails on purpose: `input.customer` is undefined, so line 5 throws a TypeError.
function main(input) {
    console.log("looking up the customer");
    // The next line is the one the analysis must point at.
    return { name: input.customer.name };
}
