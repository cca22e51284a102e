const fmt = {
  prefix: ">",
  tag(strs, ...v) { return this.prefix + strs.join("|") + v.join(","); }
};
function main(input) { return [fmt.tag`a${1}b${2}c`, fmt["tag"]`x`]; }
