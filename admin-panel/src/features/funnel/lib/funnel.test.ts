import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/en";
import { ru } from "@/lib/i18n/ru";
import { counts } from "@/testing/fixtures";
import { conversion, percent, rate, sourceLabel, stepsOf, total } from "./funnel";

describe("funnel arithmetic", () => {
  it("gives each main step its share of the step before", () => {
    expect(stepsOf(counts({ opened: 10, answered: 8, booked: 4, attended: 3 }))).toEqual([
      { step: "opened", value: 10, ofPrevious: null },
      { step: "answered", value: 8, ofPrevious: 0.8 },
      { step: "booked", value: 4, ofPrevious: 0.5 },
      { step: "attended", value: 3, ofPrevious: 0.75 },
    ]);
  });

  it("says nothing rather than 0% or NaN when the step before is empty", () => {
    expect(rate(0, 0)).toBeNull();
    expect(percent(rate(0, 0))).toBe("—");
    expect(stepsOf(counts())[1]).toEqual({ step: "answered", value: 0, ofPrevious: null });
    expect(conversion(counts({ opened: 0 }))).toBeNull();
  });

  it("rounds percentages to whole numbers", () => {
    expect(percent(2 / 3)).toBe("67%");
    expect(percent(1)).toBe("100%");
    expect(percent(0)).toBe("0%");
  });

  it("converts booked of opened", () => {
    expect(conversion(counts({ opened: 8, answered: 6, booked: 2 }))).toBe(0.25);
  });

  it("adds rows up", () => {
    expect(total([counts({ opened: 1, booked: 1 }), counts({ opened: 2, cancelled: 1 })])).toEqual(counts({ opened: 3, booked: 1, cancelled: 1 }));
  });

  it("names a source by its label, a person's link as personal, and no link as the bot", () => {
    expect(sourceLabel(ru, { link_id: 1, label: "hh.ru", kind: "source" })).toBe("hh.ru");
    expect(sourceLabel(ru, { link_id: 2, label: "Анна", kind: "personal" })).toBe("Личное: Анна");
    expect(sourceLabel(ru, { link_id: null, label: null, kind: null })).toBe("Без ссылки (в боте)");
    expect(sourceLabel(en, { link_id: null })).toBe("No link (in the bot)");
  });
});
