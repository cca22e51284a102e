// Fails on purpose: input.order is undefined, so reading .id throws a TypeError.
function lookUp(input) {
    return input.order.id;
}
function main(input) {
    console.log("looking up the order");
    return { id: lookUp(input) };
}
