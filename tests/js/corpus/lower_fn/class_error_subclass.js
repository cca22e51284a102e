class ValidationError extends Error {
  constructor(field, msg) {
    super(msg);
    this.name = "ValidationError";
    this.field = field;
  }
  describe() { return this.field + ": " + this.message; }
}
class RequiredError extends ValidationError {
  constructor(field) { super(field, field + " is required"); this.name = "RequiredError"; }
}
function main(input) {
  try {
    throw new RequiredError("email");
  } catch (e) {
    return [e instanceof RequiredError, e instanceof ValidationError, e instanceof Error,
            e.name, e.message, e.field, e.describe(), String(e).split("\n")[0], typeof e.stack];
  }
}
