// Echoes what the form sent as one line, so a test can see every field arrived typed.
function main(input) {
    const { customer, quantity, discount = 0, gift = false, shipping = "standard", address, tags = [], lines = [] } = input;
    const units = lines.reduce((n, l) => n + l.qty, 0);
    return {
        summary: `${customer} x${quantity} to ${address.city}/${address.country || "?"} by ${shipping}` +
            ` gift=${gift} discount=${discount} tags=${tags.join("+")} units=${units}`,
    };
}
