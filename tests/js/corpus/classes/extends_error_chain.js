function main(input) {
  class AppError extends Error { constructor(m) { super(m); this.name = this.constructor.name; } }
  class DbError extends AppError {}
  class ConnError extends DbError { constructor() { super('connection lost'); this.retry = true; } }
  const e = new ConnError();
  return [e.name, e.message, e.retry, e instanceof DbError, e instanceof AppError, e instanceof Error, e instanceof TypeError];
}
