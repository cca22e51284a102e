class A { async m() { return 1 } static async s() { return 2 } async *g() { yield 3 } }
(async () => { var a = new A(); var r = [await a.m(), await A.s()]; for await (var v of a.g()) r.push(v); console.log(r.join()) })();
