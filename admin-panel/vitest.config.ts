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
      // Page tests click through several dialogs; on a busy 2-core machine 5 s is too tight.
      testTimeout: 15_000,
    },
  }),
);
