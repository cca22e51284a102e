var {f = function () {}, g = () => {}, h = class {}} = {}; console.log(f.name, g.name, h.name);
