import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("parseEnv", () => {
  it("defaults to the same origin and Moscow", () => {
    expect(parseEnv({})).toEqual({ apiBaseUrl: "", defaultTimeZone: "Europe/Moscow" });
  });
  it("rejects a bad URL and a bad zone", () => {
    expect(() => parseEnv({ VITE_API_BASE_URL: "ftp://x" })).toThrow(/VITE_API_BASE_URL/);
    expect(() => parseEnv({ VITE_DEFAULT_TIME_ZONE: "Mars/Olympus" })).toThrow(/VITE_DEFAULT_TIME_ZONE/);
  });
});
