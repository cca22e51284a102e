function A() {} A.prototype.v = 5; var B = {A: A}; console.log(new A().v, new B.A().v, (new A).v, new A instanceof A);
