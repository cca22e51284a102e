var o = {a: {b: 1}}; console.log(`${ {x: 1}.x } ${ (() => { return {y: 2} })().y } ${o.a.b}`);
