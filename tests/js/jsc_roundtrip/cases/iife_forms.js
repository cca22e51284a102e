(function () { console.log("a") })(); (function () { console.log("b") }()); !function () { console.log("c") }(); void function () { console.log("d") }();
