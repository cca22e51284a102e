class Model {
  static create(attrs) { const m = new this(); Object.assign(m, attrs); return m; }
  static table() { return this.name.toLowerCase() + "s"; }
}
class User extends Model { full() { return this.first + " " + this.last; } }
function main(input) {
  const u = User.create({ first: "Ada", last: "L" });
  return [u instanceof User, u.full(), User.table(), Model.table()];
}
