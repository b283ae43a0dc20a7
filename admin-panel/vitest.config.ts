import { defineConfig, mergeConfig } from "vitest/config";
import viteConfig from "./vite.config.ts";

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: "jsdom",
      globals: true,
      setupFiles: ["./src/testing/setup.ts"],
      css: false,
      pool: "threads",
      maxWorkers: 2,
    },
  }),
);
