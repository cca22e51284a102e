function Maker() { if (!new.target) return new Maker(); this.ok = true; }
function main(input) { return [Maker().ok, new Maker().ok]; }
