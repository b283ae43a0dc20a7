import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/en";
import { formatErrors, formatToSend, formatValues } from "./format-choice";

describe("format choice", () => {
  it("chooses a known format and opens anything else as the own variant, filled", () => {
    expect(formatValues("phone")).toEqual({ format: "phone", ownFormat: "" });
    expect(formatValues("Zoom или офис")).toEqual({ format: "own", ownFormat: "Zoom или офис" });
    // A code that is no format of ours is the recruiter's words too.
    expect(formatValues("own")).toEqual({ format: "own", ownFormat: "own" });
  });

  it("sends the known code, or the own words trimmed, and wants words for the own variant", () => {
    expect(formatToSend({ format: "offline", ownFormat: "ignored" })).toBe("offline");
    expect(formatToSend({ format: "own", ownFormat: "  Zoom  " })).toBe("Zoom");
    expect(formatErrors({ format: "own", ownFormat: " " }, en)).toEqual({ ownFormat: en.common.required });
    expect(formatErrors({ format: "online", ownFormat: "" }, en)).toEqual({});
  });
});
