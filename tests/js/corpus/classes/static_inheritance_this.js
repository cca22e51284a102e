function main(input) {
  class Model {
    static create(attrs) { const m = new this(); Object.assign(m, attrs); return m; }
    static get table() { return this.name.toLowerCase() + 's'; }
  }
  class User extends Model {}
  class Post extends Model {}
  const u = User.create({ id: 1 });
  return [u instanceof User, u.id, User.table, Post.table];
}
