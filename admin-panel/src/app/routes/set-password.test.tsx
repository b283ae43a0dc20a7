import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { weakPasswordReason } from "@/features/accounts/lib/password";
import { ru } from "@/lib/i18n/ru";
import { callsTo, currentPath, mockApi, renderWithProviders } from "@/testing/render";
import { SetPasswordRoute } from "./set-password";

const at = { lang: "ru" as const, route: "/set-password#tok_abc", path: "/set-password" };

async function fill(password: string, repeat = password) {
  await userEvent.type(await screen.findByLabelText("Новый пароль"), password);
  await userEvent.type(screen.getByLabelText("Пароль ещё раз"), repeat);
  await userEvent.click(screen.getByRole("button", { name: "Задать пароль" }));
}

describe("SetPasswordRoute", () => {
  it("names the account, checks the two passwords agree, sets it and goes to the login page", async () => {
    const calls = mockApi({
      "POST /api/auth/password-link": () => ({ username: "irina", display_name: "Ирина Смирнова" }),
      "POST /api/auth/set-password": () => ({ status: 204 }),
    });
    renderWithProviders(<SetPasswordRoute />, at);
    expect(await screen.findByText("Учётная запись: Ирина Смирнова (логин irina)")).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/auth/password-link")[0]?.body).toEqual({ token: "tok_abc" });
    await fill("ветер лампа 37 сорока", "ветер лампа 37 сорок");
    expect(await screen.findByText("Пароли не совпадают")).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/auth/set-password")).toHaveLength(0);
    await userEvent.type(screen.getByLabelText("Пароль ещё раз"), "а");
    await userEvent.click(screen.getByRole("button", { name: "Задать пароль" }));
    await waitFor(() => expect(currentPath()).toBe("/login"));
    expect(callsTo(calls, "POST /api/auth/set-password")[0]?.body).toEqual({ token: "tok_abc", password: "ветер лампа 37 сорока" });
  });

  it("says in Russian why the server found the password weak", async () => {
    mockApi({
      "POST /api/auth/password-link": () => ({ username: "irina", display_name: null }),
      "POST /api/auth/set-password": () => ({
        status: 422,
        body: { error: { code: "validation_failed", message: "password: is too easy to guess: this is a top-100 common password; use at least 12 characters" } },
      }),
    });
    renderWithProviders(<SetPasswordRoute />, at);
    await fill("password1234");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Пароль слишком простой, его легко подобрать. Это один из распространённых паролей.");
    expect(alert).not.toHaveTextContent("common");
  });

  it("a dead link says to ask an admin for a new one", async () => {
    mockApi({ "POST /api/auth/password-link": () => ({ status: 404, body: { error: { code: "not_found", message: "no such link" } } }) });
    renderWithProviders(<SetPasswordRoute />, at);
    expect(await screen.findByRole("alert")).toHaveTextContent("Попросите администратора прислать новую ссылку.");
    expect(screen.queryByLabelText("Новый пароль")).toBeNull();
    expect(screen.getByRole("link", { name: "Перейти ко входу" })).toHaveAttribute("href", "/login");
  });

  it("a link without its token says what to do, asking the server nothing", async () => {
    const calls = mockApi({});
    renderWithProviders(<SetPasswordRoute />, { ...at, route: "/set-password" });
    expect(await screen.findByRole("alert")).toHaveTextContent("В адресе нет ссылки");
    expect(calls).toHaveLength(0);
  });
});

describe("weakPasswordReason", () => {
  it("tells the common reasons, or general advice", () => {
    expect(weakPasswordReason("password: must be at least 12 characters long (it has 5)", ru)).toBe("Пароль слишком простой, его легко подобрать. Нужно не меньше 12 символов.");
    expect(weakPasswordReason("password: is too easy to guess: straight rows of keys are easy to guess", ru)).toMatch(/ряд клавиш/);
    expect(weakPasswordReason("password: is too easy to guess", ru)).toBe(`${ru.setPassword.weak} ${ru.setPassword.weakGeneral}`);
  });
});
