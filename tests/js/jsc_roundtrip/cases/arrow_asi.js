var f = () => {}
(function () { console.log("iife after arrow") })()
