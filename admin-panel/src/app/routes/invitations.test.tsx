import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { linkView, vacancy } from "@/testing/fixtures";
import { callsTo, mockApi, queryOf, renderWithProviders, type Handler } from "@/testing/render";
import { InvitationsRoute } from "./invitations";

const hh = linkView({ id: 11, label: "hh.ru", opened: 4 });
const anna = linkView({
  id: 12,
  kind: "personal",
  label: "Анна Петрова",
  phone: "+79001234567",
  note: "после ярмарки",
  state: "used",
  candidate_id: 5,
  candidate_name: "Anna Petrova",
  expires_at: "2099-03-02T20:59:00Z",
  ends_on_booking: true,
  url: "https://t.me/interview_bot?start=feedfeedfeedfeedfeedfeedfeedfeed",
});

/** `GET /api/links` answering by kind, like the server. */
const links = (items: ReturnType<typeof linkView>[]): Handler => (req) => {
  const kind = new URL(req.url).searchParams.get("kind");
  return items.filter((l) => !kind || l.kind === kind);
};

describe("InvitationsRoute", () => {
  it("shows source links with the t.me address, a copy button, the QR code and the opened count", async () => {
    mockApi({ "GET /api/vacancies": () => [vacancy({ id: 3, title: "Курьер" })], "GET /api/links": links([hh, anna]) });
    renderWithProviders(<InvitationsRoute />, { lang: "ru" });
    const sources = await screen.findByRole("table", { name: "Ссылки-источники" });
    const row = within(sources).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("hh.ru");
    expect(row).toHaveTextContent("Курьер");
    expect(within(row).getByRole("link", { name: hh.url! })).toHaveAttribute("href", hh.url);
    expect(within(row).getByRole("button", { name: "Скопировать: hh.ru" })).toBeInTheDocument();
    expect(row).toHaveTextContent("4");
    expect(row).toHaveTextContent("действует");
    await userEvent.click(within(row).getByRole("button", { name: "Показать QR-код: hh.ru" }));
    const dialog = await screen.findByRole("dialog", { name: "QR-код: hh.ru" });
    expect(within(dialog).getByRole("img")).toHaveAttribute("src", expect.stringMatching(/\/api\/links\/11\/qr\.svg$/));
    expect(within(dialog).getByRole("link", { name: "PNG" })).toHaveAttribute("href", expect.stringMatching(/\/api\/links\/11\/qr\.png$/));
    expect(within(dialog).getByRole("link", { name: "SVG" })).toHaveAttribute("download");
  });

  it("shows personal invitations with their state in Russian and the bound Telegram account", async () => {
    mockApi({ "GET /api/vacancies": () => [vacancy({ id: 3, title: "Курьер" })], "GET /api/links": links([hh, anna]) });
    renderWithProviders(<InvitationsRoute />, { lang: "ru" });
    const personal = await screen.findByRole("table", { name: "Личные приглашения" });
    const row = within(personal).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent(/^Анна Петрова\+79001234567 · после ярмаркиКурьериспользованаДействует до 02\.03\.2099Anna Petrova/);
    expect(within(row).getByRole("link", { name: "Anna Petrova" })).toHaveAttribute("href", "/candidates/5");
  });

  it("before the bot's first start, says why there is no link and offers no QR code", async () => {
    mockApi({ "GET /api/vacancies": () => [], "GET /api/links": links([{ ...hh, url: null }]) });
    renderWithProviders(<InvitationsRoute />, { lang: "ru" });
    const sources = await screen.findByRole("table", { name: "Ссылки-источники" });
    expect(within(sources).getByText("Бот ещё ни разу не запускался — ссылка появится после его запуска")).toBeInTheDocument();
    expect(within(sources).queryByRole("button", { name: /QR/ })).toBeNull();
  });

  it("with no links, says what to do and offers to create them", async () => {
    mockApi({ "GET /api/vacancies": () => [], "GET /api/links": () => [] });
    renderWithProviders(<InvitationsRoute />, { lang: "ru" });
    expect(await screen.findByText(/^Ссылок-источников пока нет/)).toBeInTheDocument();
    expect(screen.getByText(/^Личных приглашений пока нет/)).toBeInTheDocument();
    expect(screen.getAllByRole("button", { name: "Новая ссылка" })).toHaveLength(2);
    expect(screen.getAllByRole("button", { name: "Пригласить человека" })).toHaveLength(2);
  });

  it("creates a source link for the vacancy being looked at", async () => {
    const calls = mockApi({
      "GET /api/vacancies": () => [vacancy({ id: 3, title: "Курьер" })],
      "GET /api/links": () => [],
      "POST /api/links": () => ({ status: 201, body: hh }),
    });
    renderWithProviders(<InvitationsRoute />, { lang: "ru" });
    await userEvent.click(screen.getByRole("textbox", { name: "Вакансия" }));
    await userEvent.click(await screen.findByRole("option", { name: "Курьер", hidden: true }));
    await waitFor(() => expect(queryOf(callsTo(calls, "GET /api/links").at(-1))).toMatchObject({ vacancy_id: "3" }));
    await userEvent.click(screen.getAllByRole("button", { name: "Новая ссылка" })[0]!);
    const dialog = await screen.findByRole("dialog", { name: "Новая ссылка" });
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Название источника" }), "hh.ru");
    await userEvent.click(within(dialog).getByRole("button", { name: "Создать" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/links")).toHaveLength(1));
    expect(callsTo(calls, "POST /api/links")[0]!.body).toEqual({
      kind: "source",
      label: "hh.ru",
      vacancy_id: 3,
      phone: null,
      note: null,
      expires_at: null,
      ends_on_booking: false,
    });
  });

  it("imports personal invitations from pasted CSV and names the line of an error in Russian", async () => {
    let fail = true;
    const calls = mockApi({
      "GET /api/vacancies": () => [],
      "GET /api/links": () => [],
      "POST /api/links/import": () =>
        fail ? { status: 422, body: { error: { code: "validation_failed", message: "csv: line 3: is not a phone number" } } } : { status: 201, body: [anna] },
    });
    renderWithProviders(<InvitationsRoute />, { lang: "ru" });
    await userEvent.click(screen.getByRole("button", { name: "Загрузить CSV" }));
    const dialog = await screen.findByRole("dialog", { name: "Личные приглашения из CSV" });
    // Nothing pasted: said, nothing sent.
    await userEvent.click(within(dialog).getByRole("button", { name: "Создать приглашения" }));
    expect(within(dialog).getByText("Вставьте текст CSV или выберите файл")).toBeInTheDocument();
    const csv = "имя;телефон\nАнна;+79001234567\nБорис;не телефон";
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Текст CSV" }), csv);
    await userEvent.click(within(dialog).getByRole("button", { name: "Создать приглашения" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Строка 3: телефон не похож на номер");
    expect(callsTo(calls, "POST /api/links/import")[0]!.body).toEqual({ csv, vacancy_id: null, expires_at: null, ends_on_booking: true });
    fail = false;
    await userEvent.click(within(dialog).getByRole("button", { name: "Создать приглашения" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Личные приглашения из CSV" })).toBeNull());
  });

  it("offers to revoke a link people came through instead of deleting it", async () => {
    const calls = mockApi({
      "GET /api/vacancies": () => [],
      "GET /api/links": links([hh]),
      "DELETE /api/links/11": () => ({ status: 409, body: { error: { code: "link_in_use", message: "opened" } } }),
      "POST /api/links/11/revoke": () => ({ ...hh, state: "revoked" }),
    });
    renderWithProviders(<InvitationsRoute />, { lang: "ru" });
    await userEvent.click(await screen.findByRole("button", { name: "Действия: hh.ru" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Удалить" }));
    const dialog = await screen.findByRole("dialog", { name: "Удалить «hh.ru»?" });
    expect(within(dialog).getByRole("button", { name: "Не удалять" })).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Удалить" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(/нельзя удалить: отзовите её/);
    await userEvent.click(within(dialog).getByRole("button", { name: "Отозвать вместо удаления" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/links/11/revoke")).toHaveLength(1));
  });

  it("reads in English in the English panel", async () => {
    mockApi({ "GET /api/vacancies": () => [vacancy({ id: 3, title: "Courier" })], "GET /api/links": links([hh, anna]) });
    renderWithProviders(<InvitationsRoute />, { lang: "en" });
    const personal = await screen.findByRole("table", { name: "Personal invitations" });
    expect(within(personal).getAllByRole("row")[1]).toHaveTextContent(/CourierusedValid until 02\.03\.2099Anna Petrova/);
    expect(within(screen.getByRole("table", { name: "Source links" })).getByRole("button", { name: "Copy: hh.ru" })).toBeInTheDocument();
  });
});
