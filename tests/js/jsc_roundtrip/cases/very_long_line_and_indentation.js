function a() { if (1) { if (2) { if (3) { for (;;) { while (1) { do { try { return "deep" } finally { } } while (0) } } } } } } console.log(a());
