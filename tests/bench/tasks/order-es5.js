// An order summary, written by hand in ES5.
function LineItem(item) {
  this.sku = item.sku;
  this.qty = item.qty === undefined ? 1 : item.qty;
  this.price = item.price;
}
Object.defineProperty(LineItem.prototype, 'total', {
  get: function () { return this.qty * this.price; }
});
LineItem.prototype.label = function () {
  return this.qty + ' x ' + this.sku + ' @ ' + this.price.toFixed(2);
};

function round2(n) {
  return Math.round(n * 100) / 100;
}

function main(input) {
  var name = input.customer.name;
  var tier = input.customer.tier === undefined ? 'standard' : input.customer.tier;
  var items = input.items === undefined ? [] : input.items;
  var discount = input.discount === undefined ? 0 : input.discount;
  var lines = items.map(function (it) { return new LineItem(it); });
  var subtotal = lines.reduce(function (sum, l) { return sum + l.total; }, 0);
  var rate = tier === 'gold' ? discount + 0.05 : discount;
  var big = lines.filter(function (l) { return l.total >= 10; })
    .map(function (l) { return l.sku; });
  var first = lines[0];
  var others = lines.slice(1);
  return {
    customer: name + ' (' + tier + ')',
    lines: lines.map(function (l) { return l.label(); }),
    first: first ? first.sku : null,
    others: others.length,
    big: big,
    subtotal: round2(subtotal),
    total: round2(subtotal * (1 - rate))
  };
}
