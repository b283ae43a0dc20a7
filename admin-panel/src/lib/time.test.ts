import { describe, expect, it } from "vitest";
import { zoneAside, zoneName } from "./time";

describe("zoneName", () => {
  it("calls Moscow's zone Moscow time in each language", () => {
    expect(zoneName("Europe/Moscow", "ru")).toBe("московское время");
    expect(zoneName("Europe/Moscow", "en")).toBe("Moscow time");
  });

  it("names another zone by its city and its offset from UTC", () => {
    expect(zoneName("Asia/Yekaterinburg", "ru")).toBe("Екатеринбург (UTC+5)");
    expect(zoneName("Asia/Yekaterinburg", "en")).toBe("Yekaterinburg (UTC+5)");
    expect(zoneName("America/New_York", "en", "2026-01-15T12:00:00Z")).toBe("New York (UTC-5)");
    expect(zoneName("Asia/Kolkata", "en")).toBe("Kolkata (UTC+5:30)");
  });

  it("gives the offset of the date concerned, so daylight saving time moves it", () => {
    expect(zoneName("Europe/Berlin", "en", "2026-01-15T12:00:00Z")).toBe("Berlin (UTC+1)");
    expect(zoneName("Europe/Berlin", "en", "2026-07-15T12:00:00Z")).toBe("Berlin (UTC+2)");
    expect(zoneName("Europe/Berlin", "ru", "2026-01-15T12:00:00Z")).toMatch(/^\S.* \(UTC\+1\)$/);
    expect(zoneName("Europe/Berlin", "ru", "2026-07-15T12:00:00Z")).toMatch(/ \(UTC\+2\)$/);
  });

  it("never shows a bare IANA id for a zone with a place, and only the offset for one without", () => {
    expect(zoneName("Europe/Berlin", "ru")).not.toContain("Europe/");
    expect(zoneName("UTC", "en")).toBe("UTC");
    expect(zoneName("Etc/GMT-3", "ru")).toBe("UTC+3");
  });

  it("brackets the zone to follow a time or a label, never nesting brackets", () => {
    expect(zoneAside("Europe/Moscow", "ru")).toBe("(московское время)");
    expect(zoneAside("Asia/Yekaterinburg", "ru")).toBe("(Екатеринбург, UTC+5)");
    expect(zoneAside("Europe/Berlin", "en", "2026-07-15")).toBe("(Berlin, UTC+2)");
  });
});
