// Typed errors: each constructor sets .name and .message and is an Error;
// HttpError(status, message) also sets .status.
const SKU = /^[A-Z]{3}-[0-9]{4}$/;
const MAX_QUANTITY = 100;
const DISCONTINUED = new Set(['OLD-0000']);

function main(input, context) {
    const { sku, quantity } = input;
    if (!SKU.test(sku)) {
        throw new ValidationError(`sku must look like ABC-1234, got ${sku}`);
    }
    if (quantity > MAX_QUANTITY) {
        throw new RateLimitError(`at most ${MAX_QUANTITY} items per order line`);
    }
    if (DISCONTINUED.has(sku)) {
        throw new HttpError(410, 'this product is no longer sold');
    }
    return { sku, quantity, accepted: true };
}
