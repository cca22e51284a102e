function a() { return function b() { return function c() { return () => () => "deep" } } } console.log(a()()()()());
