import { describe, expect, it } from "vitest";
import { en } from "./i18n/en";
import { ru } from "./i18n/ru";
import { dayLabel, formatLabel, formatWithLocation, perDayRows, slotStatusLabel } from "./labels";

describe("labels", () => {
  it("names the known interview formats in each language and keeps the recruiter's own text", () => {
    expect(formatLabel(ru, "online")).toBe("онлайн");
    expect(formatLabel(ru, "offline")).toBe("в офисе");
    expect(formatLabel(ru, "phone")).toBe("по телефону");
    expect(formatLabel(en, "offline")).toBe("in the office");
    expect(formatLabel(ru, "Zoom или офис")).toBe("Zoom или офис");
    expect(formatLabel(ru, "toString")).toBe("toString");
    expect(formatWithLocation(ru, "offline", "Тверская, 1")).toBe("в офисе · Тверская, 1");
  });

  it("calls an open slot with every place taken full", () => {
    expect(slotStatusLabel(ru, { status: "open", booked: 0, capacity: 1 })).toBe("открыт");
    expect(slotStatusLabel(ru, { status: "open", booked: 1, capacity: 2 })).toBe("открыт");
    expect(slotStatusLabel(ru, { status: "open", booked: 2, capacity: 2 })).toBe("заполнен");
    expect(slotStatusLabel(ru, { status: "open", booked: 3, capacity: 2 })).toBe("заполнен");
    expect(slotStatusLabel(en, { status: "open", booked: 1, capacity: 1 })).toBe("full");
    expect(slotStatusLabel(ru, { status: "cancelled", booked: 1, capacity: 1 })).toBe("отменён");
  });

  it("labels chart days in the reader's language, in date order", () => {
    expect(dayLabel("2026-11-23", "ru")).toBe("пн, 23 нояб.");
    expect(dayLabel("2026-11-23", "en")).toBe("Mon, 23 Nov");
    expect(perDayRows({ "2026-11-24": 2, "2026-11-23": 1 }, "ru")).toEqual([
      { day: "пн, 23 нояб.", n: 1 },
      { day: "вт, 24 нояб.", n: 2 },
    ]);
  });
});
