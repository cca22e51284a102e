var o = {class: 1, default: 2, if: 3, new: 4, function: 5, typeof: 6, null: 7, true: 8}; console.log(o.class, o.default, o.if, o.new, o.function, o.typeof, o.null, o.true);
