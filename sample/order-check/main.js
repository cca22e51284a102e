// Typed errors: each constructor sets .name and .message and is an Error;
// HttpError(status, message) also sets .status.
function main(input, context) {
    if (!/^[A-Z]{3}-[0-9]{4}$/.test(input.sku)) {
        throw new ValidationError('sku must look like ABC-1234, got ' + input.sku);
    }
    if (input.quantity > 100) {
        throw new RateLimitError('at most 100 items per order line');
    }
    if (input.sku === 'OLD-0000') {
        throw new HttpError(410, 'this product is no longer sold');
    }
    return { sku: input.sku, quantity: input.quantity, accepted: true };
}
