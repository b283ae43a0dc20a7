import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { vacancy } from "@/testing/fixtures";
import { callsTo, mockApi, renderWithProviders } from "@/testing/render";
import { VacanciesRoute } from "./vacancies";

const courier = vacancy({
  id: 3,
  title: "Курьер",
  format: "office",
  duration_minutes: 30,
  capacity: 2,
  questions: [{ kind: "yes_no", text: "Есть права?", options: [], optional: false }],
});

/** Picks an option of one select (each question's select keeps its own list in the page). */
async function pick(label: string, option: string) {
  const input = screen.getByRole("textbox", { name: label });
  await userEvent.click(input);
  await waitFor(() => expect(input).toHaveAttribute("aria-controls"));
  const list = document.getElementById(input.getAttribute("aria-controls")!)!;
  await userEvent.click(within(list).getByRole("option", { name: option, hidden: true }));
}

describe("VacanciesRoute", () => {
  it("lists vacancies with their status, interview and number of questions, in words", async () => {
    mockApi({ "GET /api/vacancies": () => [courier, vacancy({ id: 4, title: "Кассир", status: "archived" })] });
    renderWithProviders(<VacanciesRoute />, { lang: "ru" });
    const rows = within(await screen.findByRole("table", { name: "Вакансии" })).getAllByRole("row");
    expect(rows[1]).toHaveTextContent(/^Курьерактивна30 мин · в офисе · мест: 21/);
    expect(rows[2]).toHaveTextContent(/^Кассирв архиве/);
  });

  it("with no vacancy, says what to do and offers to create one", async () => {
    mockApi({ "GET /api/vacancies": () => [] });
    renderWithProviders(<VacanciesRoute />, { lang: "ru" });
    expect(await screen.findByText(/^Вакансий пока нет\. Создайте первую/)).toBeInTheDocument();
    // The header's button and the empty list's own.
    const buttons = screen.getAllByRole("button", { name: "Новая вакансия" });
    expect(buttons).toHaveLength(2);
    await userEvent.click(buttons[1]!);
    expect(await screen.findByRole("dialog", { name: "Новая вакансия" })).toBeInTheDocument();
  });

  it("creates a vacancy with a questionnaire: kinds by name, choices, reordering, checks before sending", async () => {
    const calls = mockApi({ "GET /api/vacancies": () => [], "POST /api/vacancies": () => ({ status: 201, body: courier }) });
    renderWithProviders(<VacanciesRoute />, { lang: "ru" });
    await userEvent.click(screen.getAllByRole("button", { name: "Новая вакансия" })[0]!);
    const dialog = await screen.findByRole("dialog", { name: "Новая вакансия" });
    await userEvent.type(within(dialog).getByLabelText(/^Название/), "Курьер");

    await userEvent.click(within(dialog).getByRole("button", { name: "Добавить вопрос" }));
    await pick("Вопрос 1: Тип ответа", "Выбор из вариантов");
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Вопрос 1: Вопрос" }), "Какая смена?");
    await userEvent.type(within(dialog).getByLabelText("Вопрос 1: Вариант 1"), "Дневная");
    // An empty choice is refused before anything is sent.
    await userEvent.click(within(dialog).getByRole("button", { name: "Создать" }));
    expect(await within(dialog).findByText("Заполните вариант или уберите его")).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/vacancies")).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText("Вопрос 1: Вариант 2"), "Ночная");

    await userEvent.click(within(dialog).getByRole("button", { name: "Добавить вопрос" }));
    await pick("Вопрос 2: Тип ответа", "Да/нет");
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Вопрос 2: Вопрос" }), "Есть права?");
    await userEvent.click(within(dialog).getByLabelText("Вопрос 2: Можно пропустить"));
    // The yes/no question goes first.
    await userEvent.click(within(dialog).getByRole("button", { name: "Вопрос 2: Выше" }));

    await userEvent.click(within(dialog).getByRole("button", { name: "Создать" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/vacancies")).toHaveLength(1));
    expect(callsTo(calls, "POST /api/vacancies")[0]!.body).toEqual({
      title: "Курьер",
      description: null,
      duration_minutes: 30,
      capacity: 1,
      format: "online",
      location: null,
      position: 0,
      questions: [
        { kind: "yes_no", text: "Есть права?", text_en: null, optional: true, options: [] },
        { kind: "choice", text: "Какая смена?", text_en: null, optional: false, options: ["Дневная", "Ночная"] },
      ],
      show_interviewer: false,
    });
  });

  it("explains why a vacancy with slots cannot be deleted and offers to archive it instead", async () => {
    const calls = mockApi({
      "GET /api/vacancies": () => [courier],
      "DELETE /api/vacancies/3": () => ({ status: 409, body: { error: { code: "vacancy_in_use", message: "has slots" } } }),
      "POST /api/vacancies/3/archive": () => ({ ...courier, status: "archived" }),
    });
    renderWithProviders(<VacanciesRoute />, { lang: "ru" });
    await userEvent.click(await screen.findByRole("button", { name: "Действия: Курьер" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Удалить" }));
    const dialog = await screen.findByRole("dialog", { name: "Удалить вакансию «Курьер»?" });
    expect(within(dialog).getByRole("button", { name: "Не удалять" })).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Удалить" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("У вакансии есть слоты, поэтому её нельзя удалить. Отправьте её в архив.");
    await userEvent.click(within(dialog).getByRole("button", { name: "Отправить в архив" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/vacancies/3/archive")).toHaveLength(1));
  });
});
