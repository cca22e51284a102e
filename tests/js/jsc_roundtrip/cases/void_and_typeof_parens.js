console.log(typeof (1 + 1), void (0, 1), typeof function () {}, typeof class {}, typeof (() => 1));
