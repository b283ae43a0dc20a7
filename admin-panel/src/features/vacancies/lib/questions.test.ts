import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/en";
import { fromQuestion, moveQuestion, newQuestion, toQuestion, validateQuestions, withKind, type QuestionDraft } from "./questions";

const q = (over: Partial<QuestionDraft> = {}): QuestionDraft => ({ ...newQuestion("text"), text: "Why us?", ...over });

describe("validateQuestions", () => {
  it("accepts a questionnaire of every kind", () => {
    const questions = [
      q({ kind: "full_name", text: "Your name" }),
      q({ kind: "phone", text: "Phone", optional: true }),
      q({ kind: "yes_no", text: "Over 18?" }),
      q({ kind: "choice", text: "Shift", options: ["Day", "Night"] }),
    ];
    expect(validateQuestions(questions, en)).toEqual({});
  });

  it("needs each question's text", () => {
    expect(validateQuestions([q(), q({ text: "  " })], en)).toEqual({ "questions.1.text": en.vacancies.errors.text });
  });

  it("needs 2 to 8 distinct, filled choices for a choice", () => {
    expect(validateQuestions([q({ kind: "choice", options: ["Only"] })], en)).toEqual({ "questions.0.options": en.vacancies.errors.options });
    expect(validateQuestions([q({ kind: "choice", options: Array.from({ length: 9 }, (_, i) => `o${i}`) })], en)).toEqual({
      "questions.0.options": en.vacancies.errors.options,
    });
    expect(validateQuestions([q({ kind: "choice", options: ["Day", " "] })], en)).toEqual({ "questions.0.options.1": en.vacancies.errors.optionEmpty });
    expect(validateQuestions([q({ kind: "choice", options: ["Day", "day "] })], en)).toEqual({ "questions.0.options.1": en.vacancies.errors.optionDuplicate });
  });

  it("allows at most 20 questions", () => {
    expect(validateQuestions(Array.from({ length: 21 }, () => q()), en)).toEqual({ questions: en.vacancies.errors.tooMany });
  });
});

describe("questions and the API", () => {
  it("sends trimmed texts, no English text when empty, and options only for a choice", () => {
    expect(toQuestion(q({ text: " Why us? ", textEn: " ", options: ["x"] }))).toEqual({ kind: "text", text: "Why us?", text_en: null, optional: false, options: [] });
    expect(toQuestion(q({ kind: "choice", text: "Shift", textEn: "Shift?", options: [" Day ", "Night"], optional: true }))).toEqual({
      kind: "choice",
      text: "Shift",
      text_en: "Shift?",
      optional: true,
      options: ["Day", "Night"],
    });
  });

  it("reads a stored question back as it was", () => {
    const stored = { kind: "choice" as const, text: "Shift", text_en: "Shift?", optional: true, options: ["Day", "Night"] };
    expect(toQuestion(fromQuestion(stored))).toEqual(stored);
  });

  it("gives a choice two empty options when the kind changes to it, and drops them when it changes away", () => {
    const choice = withKind(q(), "choice");
    expect(choice.options).toEqual(["", ""]);
    expect(withKind({ ...choice, options: ["a", "b", "c"] }, "choice").options).toEqual(["a", "b", "c"]);
    expect(withKind(choice, "yes_no").options).toEqual([]);
  });

  it("moves a question, leaving the list as it is at the edges", () => {
    expect(moveQuestion(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moveQuestion(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    const list = ["a", "b"];
    expect(moveQuestion(list, 0, -1)).toBe(list);
    expect(moveQuestion(list, 1, 2)).toBe(list);
  });
});
