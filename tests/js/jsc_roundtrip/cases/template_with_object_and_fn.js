console.log(`${(() => { var o = {k: "}"}; return o.k })()}`, `${"{"}${"}"}`, `${{}.constructor.name}`);
