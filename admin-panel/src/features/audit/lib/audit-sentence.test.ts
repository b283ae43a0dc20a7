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

  it("tells what was done to an invitation link, by its label or the person's name", () => {
    const link = (action: string, details: object) => ({ ...entry(action, details), entity_type: "invite_link" });
    expect(auditSentence(link("link.create", { kind: "source", label: "hh.ru", vacancy_id: 3 }), ru, "ru", "Europe/Moscow")).toBe("olga создал(а) ссылку-источник «hh.ru»");
    expect(auditSentence(link("link.create", { kind: "personal", label: "Анна" }), ru, "ru", "Europe/Moscow")).toBe("olga создал(а) личное приглашение для «Анна»");
    expect(auditSentence(link("link.import", { count: 12, vacancy_id: null }), ru, "ru", "Europe/Moscow")).toBe("olga загрузил(а) личные приглашения из CSV: 12");
    expect(auditSentence(link("link.revoke", { label: "hh.ru" }), ru, "ru", "Europe/Moscow")).toBe("olga отозвал(а) приглашение «hh.ru»");
    expect(auditSentence(link("link.delete", { label: "hh.ru" }), en, "en", "Europe/Moscow")).toBe("olga deleted the invitation “hh.ru”");
  });

  it("tells the waitlist's and the no-show approvals' actions, with the candidate and the interview's time", () => {
    const withCandidate = (action: string, details: object, slot: string | null = null) => ({
      ...entry(action, details),
      entity_type: "candidate",
      candidate_name: "Daria Orlova",
      candidate_username: "daria",
      slot_starts_at: slot,
    });
    expect(auditSentence(withCandidate("waitlist.remove", {}), ru, "ru", "Europe/Moscow")).toBe("olga убрал(а) кандидата Daria Orlova (@daria) из листа ожидания");
    expect(auditSentence(withCandidate("waitlist.offer", { slot_id: 7 }, "2026-12-02T07:00:00Z"), ru, "ru", "Europe/Moscow")).toBe(
      "olga предложил(а) кандидату Daria Orlova (@daria) время из листа ожидания на ср, 2 декабря, 10:00",
    );
    expect(auditSentence(withCandidate("approval.approve", {}), ru, "ru", "Europe/Moscow")).toBe("olga разрешил(а) запись кандидату Daria Orlova (@daria) после неявок");
    expect(auditSentence(withCandidate("approval.refuse", {}), en, "en", "Europe/Moscow")).toBe("olga refused Daria Orlova (@daria) booking after no-shows");
    // The server may name nobody for a waitlist entry: the sentence still reads.
    expect(auditSentence({ ...entry("waitlist.remove", {}), entity_type: "waitlist" }, ru, "ru", "Europe/Moscow")).toBe("olga убрал(а) кандидата из листа ожидания");
    const released = { ...withCandidate("booking.release_unconfirmed", {}, "2026-12-02T07:00:00Z"), admin_id: null, admin_username: null };
    expect(auditSentence(released, ru, "ru", "Europe/Moscow")).toBe("Место освобождено: кандидат Daria Orlova (@daria) не подтвердил участие на ср, 2 декабря, 10:00");
  });
});
