function main(input) {
  class ValidationFailure extends Error {
    constructor(field) {
      super('bad field: ' + field);
      this.name = 'ValidationFailure';
      this.field = field;
    }
  }
  try {
    throw new ValidationFailure('email');
  } catch (e) {
    return {
      isErr: e instanceof Error,
      isVF: e instanceof ValidationFailure,
      message: e.message,
      name: e.name,
      field: e.field,
      str: String(e)
    };
  }
}
