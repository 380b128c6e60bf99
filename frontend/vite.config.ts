import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In production the Python service serves dist/ at / and the API at /graphql (same origin).
// `npm run dev` proxies the API and the sign-in endpoints to a local `trainyard serve` on its
// default port, so the session cookie stays same-origin.
const api = "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true },
  server: {
    proxy: {
      "/graphql": api,
      "/auth": api,
      "/healthz": api,
    },
  },
});
