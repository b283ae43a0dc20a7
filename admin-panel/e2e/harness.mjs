// The system under test, started for real: fake_telegram, api_server (serving admin-panel/dist)
// and telegram_bot, on free ports with a fresh temporary directory and SQLite file. Everything is
// stopped by stop() (SIGTERM, then SIGKILL after 10 s), and killed on process exit as a last resort.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, closeSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PANEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = path.resolve(PANEL_DIR, "..");
export const BIN_DIR = path.join(REPO, "target", "debug");
export const ADMIN = { username: "admin", password: "panel-e2e: walnut sparrow 93" };
export const TIME_ZONE = "Europe/Moscow";

/** Settings read by the services (core_logic/src/config.rs); inherited values are dropped. */
const SERVICE_VARS =
  /^(TELEGRAM_|RABBITMQ_|QUEUE_|DATABASE_URL$|ADMIN_|API_ADDR$|APP_TIMEZONE$|MAX_ACTIVE_BOOKINGS$|MIN_BOOKING_NOTICE$|CANCEL_DEADLINE$|BOOKING_HORIZON_DAYS$|REMINDER_OFFSETS$|BROADCAST_|CONTACT_USERNAME$|PANEL_DIR$|LOG_FORMAT$|RUST_LOG$)/;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws `what` (with the last error) after `timeout` ms. */
export async function waitFor(what, fn, { timeout = 15_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ""}`);
    }
    await sleep(interval);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function binary(name) {
  const file = path.join(BIN_DIR, name);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run cargo build --workspace first`);
  }
  return file;
}

function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!SERVICE_VARS.test(k)) env[k] = v;
  return { ...env, RUST_LOG: "info", NO_COLOR: "1", ...extra };
}

const children = new Set();

// Last resort: whatever happens to this process, its services do not outlive it.
process.on("exit", () => {
  for (const c of children) {
    try {
      c.proc.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
});

function start(name, file, args, env, dir) {
  const logFile = path.join(dir, `${name}.log`);
  const fd = openSync(logFile, "a");
  const proc = spawn(file, args, { cwd: dir, env, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const child = { name, proc, logFile, exited: null };
  child.exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  proc.on("exit", () => children.delete(child));
  children.add(child);
  return child;
}

async function stopChild(child) {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill("SIGTERM");
  const res = await Promise.race([child.exited, sleep(10_000).then(() => null)]);
  if (res === null) {
    console.warn(`  ${child.name} did not stop within 10 s of SIGTERM; SIGKILL`);
    child.proc.kill("SIGKILL");
    await child.exited;
  }
}

export function tail(file, lines = 30) {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function httpOk(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return res.ok;
}

/** Starts the three services; returns { fakeUrl, apiUrl, dir, children, stop() }. */
export async function startSystem() {
  const bins = { fake: binary("fake_telegram"), api: binary("api_server"), bot: binary("telegram_bot") };
  if (!existsSync(path.join(PANEL_DIR, "dist", "index.html"))) {
    console.log("admin-panel/dist is missing: npm run build");
    const res = spawnSync("npm", ["run", "build"], { cwd: PANEL_DIR, stdio: "inherit" });
    if (res.status !== 0) throw new Error("npm run build failed");
  }
  const dir = mkdtempSync(path.join(tmpdir(), "panel-e2e-"));
  const [fakePort, apiPort] = [await freePort(), await freePort()];
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const common = { DATABASE_URL: `sqlite:${path.join(dir, "e2e.db")}`, APP_TIMEZONE: TIME_ZONE };
  const started = [];
  const system = {
    dir,
    fakeUrl,
    apiUrl,
    children: started,
    async stop({ keepDir = false } = {}) {
      // The bot and the API first (they talk to the fake and the database), the fake last.
      for (const c of [...started].reverse()) await stopChild(c);
      const codes = started.map((c) => `${c.name}: ${c.proc.exitCode ?? c.proc.signalCode}`);
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
      return codes;
    },
    logs(lines = 30) {
      return started.map((c) => `--- ${c.name} (${c.logFile}) ---\n${tail(c.logFile, lines)}`).join("\n");
    },
  };
  const check = (child) => {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      throw new Error(`${child.name} exited early:\n${tail(child.logFile)}`);
    }
  };
  try {
    const fake = start("fake_telegram", bins.fake, ["--addr", `127.0.0.1:${fakePort}`], cleanEnv({}), dir);
    started.push(fake);
    await waitFor("fake_telegram", () => (check(fake), httpOk(`${fakeUrl}/_control/stats`)));

    const api = start(
      "api_server",
      bins.api,
      [],
      cleanEnv({
        ...common,
        API_ADDR: `127.0.0.1:${apiPort}`,
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
        PANEL_DIR: path.join(PANEL_DIR, "dist"),
      }),
      dir,
    );
    started.push(api);
    await waitFor("api_server /readyz", () => (check(api), httpOk(`${apiUrl}/readyz`)), { timeout: 30_000 });

    const bot = start(
      "telegram_bot",
      bins.bot,
      [],
      cleanEnv({
        ...common,
        TELEGRAM_BOT_TOKEN: "123456:TEST",
        TELEGRAM_API_URL: fakeUrl,
        CONTACT_USERNAME: "hr_team",
        BROADCAST_RATE_PER_SEC: "30",
      }),
      dir,
    );
    started.push(bot);
    // The bot registers its commands once it is up.
    const fakeCtl = new FakeControl(fakeUrl);
    await waitFor(
      "telegram_bot to register its commands with the fake",
      async () => (check(bot), Object.keys(await fakeCtl.get("commands")).length > 0),
      { timeout: 30_000 },
    );
    return system;
  } catch (e) {
    const logs = system.logs();
    await system.stop({ keepDir: true });
    e.message += `\n${logs}\n(files kept in ${dir})`;
    throw e;
  }
}

/** The fake Telegram server's /_control routes. */
export class FakeControl {
  constructor(url) {
    this.url = url;
  }
  async get(route) {
    const res = await fetch(`${this.url}/_control/${route}`);
    if (!res.ok) throw new Error(`GET /_control/${route}: ${res.status}`);
    return res.json();
  }
  async post(route, body) {
    const res = await fetch(`${this.url}/_control/${route}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });
    if (!res.ok) throw new Error(`POST /_control/${route}: ${res.status} ${await res.text()}`);
    return res.json();
  }
  send(user, text) {
    return this.post("message", { user, text });
  }
  press(user, messageId, data) {
    return this.post("callback", { user, message_id: messageId, data });
  }
  sent(chatId) {
    return this.get(chatId === undefined ? "sent" : `sent?chat_id=${chatId}`);
  }
  last(chatId) {
    return this.get(`last?chat_id=${chatId}`);
  }
  /** Waits for the latest message in the chat to satisfy `pred` (the bot edits its messages in place). */
  waitLast(what, chatId, pred, timeout = 15_000) {
    return waitFor(what, async () => {
      const m = await this.last(chatId);
      return m && pred(m) ? m : null;
    }, { timeout });
  }
  /** Waits for a message sent (or edited) to the chat whose text or caption satisfies `pred`. */
  waitSent(what, chatId, pred, timeout = 15_000) {
    return waitFor(what, async () => (await this.sent(chatId)).find((m) => pred(body(m))) ?? null, { timeout });
  }
}

export const body = (m) => m.text ?? m.caption ?? "";

/** `[{text, data}]` of every inline button of a message. */
export function inlineButtons(m) {
  return (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data }));
}
