import { describe, expect, it } from "vitest";
import type { Schemas } from "@/lib/api-client";
import { en } from "@/lib/i18n/en";
import { ru } from "@/lib/i18n/ru";
import { auditSentence } from "./audit-sentence";

const entry = (action: string, details: object): Schemas["AuditEntry"] => ({
  id: 1,
  at: "2026-12-01T09:00:00Z",
  action,
  admin_id: 1,
  admin_username: "olga",
  entity_type: "vacancy",
  entity_id: 3,
  details: details as Schemas["AuditEntry"]["details"],
});

describe("auditSentence", () => {
  it("tells what was done to a vacancy, by its title, in both languages", () => {
    const created = entry("vacancy.create", { title: "Курьер", duration_minutes: 30 });
    expect(auditSentence(created, ru, "ru", "Europe/Moscow")).toBe("olga создал(а) вакансию «Курьер»");
    expect(auditSentence(created, en, "en", "Europe/Moscow")).toBe('olga created the vacancy "Курьер"');
    const archived = entry("vacancy.archive", { title: "Курьер" });
    expect(auditSentence(archived, ru, "ru", "Europe/Moscow")).toBe("olga отправил(а) вакансию «Курьер» в архив");
    expect(auditSentence(entry("vacancy.delete", {}), en, "en", "Europe/Moscow")).toBe("olga deleted the vacancy");
  });
});
