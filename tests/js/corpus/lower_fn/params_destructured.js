function area({ w, h = 2 }, [dx, dy] = [0, 0], ...[extra]) { return [w * h, dx + dy, extra]; }
const arrow = ({ a: { b } }) => b;
function main(input) {
  return [area({ w: 3 }), area({ w: 3, h: 3 }, [1, 2], "e"), arrow({ a: { b: "deep" } }), area.length];
}
