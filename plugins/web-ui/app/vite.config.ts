// The build: base /ui/ (the web-ui plugin serves the files there), output into
// $RATCHET_UI_OUT (CMake points it into the build tree) or dist/, hashed names under assets/,
// no inline scripts or styles (the server's CSP allows only 'self'), no module preload
// polyfill (it would be an inline script).
import { defineConfig } from "vite";

const outDir = process.env.RATCHET_UI_OUT || "dist";

export default defineConfig({
  base: "/ui/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: "assets",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
    target: "es2020",
    reportCompressedSize: true,
  },
});
