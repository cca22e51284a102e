// The GraphiQL bundle: base /graphiql/ (api-graphql serves the files there), output into
// $RATCHET_UI_OUT (CMake points it into the build tree) or dist/, hashed names under assets/,
// no inline scripts (the plugin's CSP allows scripts from 'self' only), no module preload
// polyfill (it would be an inline script).
import { defineConfig } from "vite";

export default defineConfig({
  base: "/graphiql/",
  build: {
    outDir: process.env.RATCHET_UI_OUT || "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
    target: "es2020",
    chunkSizeWarningLimit: 4096,
  },
});
