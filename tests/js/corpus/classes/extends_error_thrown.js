// throws: QuotaError
function main(input) {
  class QuotaError extends Error {
    constructor(used) { super(`quota exceeded: ${used}%`); this.name = 'QuotaError'; }
  }
  throw new QuotaError(120);
}
