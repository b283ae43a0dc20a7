import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath, URL } from "node:url";

// In dev, the panel talks to a running api_server through this proxy, so the session cookie
// stays same-origin exactly as in production (where api_server serves dist/ itself).
const apiUrl = process.env.API_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  server: {
    proxy: {
      "/api": { target: apiUrl, changeOrigin: false },
      "/healthz": { target: apiUrl },
      "/readyz": { target: apiUrl },
    },
  },
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 1500 },
});
