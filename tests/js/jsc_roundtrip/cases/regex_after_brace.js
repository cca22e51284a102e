{}
/foo/.test("foo") && console.log("block then regex");
