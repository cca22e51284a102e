console.log("\101\102", "\0", "\7".charCodeAt(0), "\8");
