import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { account, me } from "@/testing/fixtures";
import { callsTo, mockApi, renderWithProviders } from "@/testing/render";
import { TeamRoute } from "./team";

const admin = account({ id: 1, username: "olga", display_name: "Ольга Админова", role: "admin" });
const irina = account();
const invited = account({ id: 3, username: "oleg", display_name: "Олег Ким", role: "recruiter", has_password: false, last_seen_at: null });
const gone = account({ id: 4, username: "pavel", display_name: "Павел", role: "recruiter", deactivated_at: "2099-02-01T07:00:00Z" });
const link = (over = {}) => ({ account: { ...irina, ...over }, token: "tok_0123456789abcdef", expires_at: "2099-03-04T07:00:00Z" });

describe("TeamRoute", () => {
  it("lists the team with roles and states in words, and the admin marked as themself", async () => {
    mockApi({ "GET /api/auth/me": () => me(), "GET /api/accounts": () => [admin, irina, invited, gone] });
    renderWithProviders(<TeamRoute />, { lang: "ru" });
    const rows = within(await screen.findByRole("table", { name: "Команда" })).getAllByRole("row");
    await waitFor(() => expect(rows[1]).toHaveTextContent(/^Ольга Админова \(это вы\)olgaАдминистраторактивен/));
    expect(rows[2]).toHaveTextContent(/^Ирина СмирноваirinaИнтервьюерактивен01\.03\.2099 10:00/);
    expect(rows[3]).toHaveTextContent(/^Олег КимolegРекрутерприглашён, пароль не заданещё не заходил\(а\)/);
    expect(rows[4]).toHaveTextContent(/^ПавелpavelРекрутеротключён/);
  });

  it("with only the admin, says to invite the others and offers it", async () => {
    mockApi({ "GET /api/auth/me": () => me(), "GET /api/accounts": () => [admin] });
    renderWithProviders(<TeamRoute />, { lang: "ru" });
    expect(await screen.findByText(/В команде пока только вы/)).toBeInTheDocument();
    expect(screen.getAllByRole("button", { name: "Пригласить в команду" })).toHaveLength(2);
  });

  it("invites a member and shows the one-time link once, with a copy button and its 72 hours", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => me(),
      "GET /api/accounts": () => [admin],
      "POST /api/accounts": () => ({ status: 201, body: link() }),
    });
    renderWithProviders(<TeamRoute />, { lang: "ru" });
    await userEvent.click((await screen.findAllByRole("button", { name: "Пригласить в команду" }))[0]!);
    const form = await screen.findByRole("dialog", { name: "Новый участник команды" });
    await userEvent.click(within(form).getByRole("button", { name: "Создать и получить ссылку" }));
    expect(await within(form).findByText(/От 3 до 64 символов/)).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/accounts")).toHaveLength(0);
    await userEvent.type(within(form).getByLabelText(/^Логин/), "irina");
    await userEvent.type(within(form).getByLabelText("Имя"), "Ирина Смирнова");
    expect(within(form).getByRole("radio", { name: /Интервьюер/ })).toBeChecked();
    await userEvent.click(within(form).getByRole("button", { name: "Создать и получить ссылку" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/accounts")[0]?.body).toEqual({ username: "irina", display_name: "Ирина Смирнова", role: "interviewer" }));

    const shown = await screen.findByRole("dialog", { name: "Ссылка для Ирина Смирнова" });
    expect(within(shown).getByTestId("set-password-link")).toHaveTextContent(`${window.location.origin}/set-password#tok_0123456789abcdef`);
    expect(within(shown).getByRole("button", { name: "Скопировать ссылку" })).toBeInTheDocument();
    expect(shown).toHaveTextContent(/показывается один раз и действует 72 часа/);
    await userEvent.click(within(shown).getByRole("button", { name: "Готово" }));
    await waitFor(() => expect(screen.queryByText(/tok_0123456789abcdef/)).toBeNull());
  });

  it("a taken login is explained", async () => {
    mockApi({
      "GET /api/auth/me": () => me(),
      "GET /api/accounts": () => [admin],
      "POST /api/accounts": () => ({ status: 409, body: { error: { code: "duplicate", message: "taken" } } }),
    });
    renderWithProviders(<TeamRoute />, { lang: "ru" });
    await userEvent.click((await screen.findAllByRole("button", { name: "Пригласить в команду" }))[0]!);
    const form = await screen.findByRole("dialog", { name: "Новый участник команды" });
    await userEvent.type(within(form).getByLabelText(/^Логин/), "olga");
    await userEvent.type(within(form).getByLabelText("Имя"), "Ещё одна Ольга");
    await userEvent.click(within(form).getByRole("button", { name: "Создать и получить ссылку" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Этот логин уже занят: придумайте другой.");
  });

  it("deactivating asks first, naming both choices, and explains the last admin", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => me({ id: 9 }),
      "GET /api/accounts": () => [admin, irina],
      "POST /api/accounts/1/deactivate": () => ({ status: 409, body: { error: { code: "last_admin", message: "last admin" } } }),
    });
    renderWithProviders(<TeamRoute />, { lang: "ru" });
    await userEvent.click(await screen.findByRole("button", { name: "Действия: Ольга Админова" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Отключить" }));
    const dialog = await screen.findByRole("dialog", { name: "Отключить Ольга Админова?" });
    expect(within(dialog).getByRole("button", { name: "Не отключать" })).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Отключить" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Это последний активный администратор");
    expect(callsTo(calls, "POST /api/accounts/1/deactivate")).toHaveLength(1);
  });

  it("changes a role, showing the change before saving", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => me(),
      "GET /api/accounts": () => [admin, irina],
      "PATCH /api/accounts/2": () => ({ ...irina, role: "recruiter" }),
    });
    renderWithProviders(<TeamRoute />, { lang: "ru" });
    const row = (await screen.findAllByRole("row")).find((r) => r.textContent?.includes("irina"))!;
    await userEvent.click(within(row).getByRole("button", { name: "Изменить роль" }));
    const roleDialog = await screen.findByRole("dialog", { name: "Роль: Ирина Смирнова" });
    await userEvent.click(within(roleDialog).getByRole("radio", { name: /Рекрутер/ }));
    expect(roleDialog).toHaveTextContent("Интервьюер → Рекрутер");
    await userEvent.click(within(roleDialog).getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(callsTo(calls, "PATCH /api/accounts/2")[0]?.body).toEqual({ role: "recruiter" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Роль: Ирина Смирнова" })).toBeNull(), { timeout: 4000 });
  });

  it("resets a password after a confirmation, showing the new link", async () => {
    mockApi({
      "GET /api/auth/me": () => me(),
      "GET /api/accounts": () => [admin, irina],
      "POST /api/accounts/2/reset-password": () => link({ display_name: "Ирина Смирнова" }),
    });
    renderWithProviders(<TeamRoute />, { lang: "ru" });
    await userEvent.click(await screen.findByRole("button", { name: "Действия: Ирина Смирнова" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Новая ссылка для пароля" }, { timeout: 4000 }));
    // (Generous waits: each step follows a mutation and a modal's transition, slow on a busy machine.)
    const confirm = await screen.findByRole("dialog", { name: "Новая ссылка для пароля: Ирина Смирнова?" }, { timeout: 4000 });
    await userEvent.click(within(confirm).getByRole("button", { name: "Новая ссылка для пароля" }));
    const shown = await screen.findByRole("dialog", { name: "Ссылка для Ирина Смирнова" }, { timeout: 4000 });
    expect(within(shown).getByTestId("set-password-link")).toHaveTextContent("/set-password#tok_0123456789abcdef");
  });
});
