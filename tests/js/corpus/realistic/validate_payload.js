// input: {"payload": {"email": "ada@example", "age": 17, "tags": ["a", "a", "b"], "address": {"zip": "123"}}}
function main({ payload }) {
  class FieldError extends Error { constructor(field, msg) { super(`${field}: ${msg}`); this.field = field; } }
  const rules = [
    ['email', (v) => /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(v) || 'invalid email'],
    ['age', (v) => (Number.isInteger(v) && v >= 18) || 'must be an adult'],
    ['tags', (v) => new Set(v).size === v.length || 'duplicate tags'],
    ['address.zip', (v) => /^\d{5}$/.test(v) || 'zip must have 5 digits'],
    ['address.city', (v) => v === undefined || typeof v === 'string' || 'bad city']
  ];
  const get = (o, p) => p.split('.').reduce((x, k) => x?.[k], o);
  const errors = [];
  for (const [field, check] of rules) {
    const r = check(get(payload, field));
    if (r !== true) errors.push(new FieldError(field, r));
  }
  return { valid: errors.length === 0, errors: errors.map(({ field, message }) => ({ field, message })), allErrors: errors.every((e) => e instanceof Error) };
}
