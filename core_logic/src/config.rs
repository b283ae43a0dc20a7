//! Configuration from the environment (and `.env`, read by dotenvy). Every variable has a default
//! or is optional; a missing or invalid value stops the service with one line naming the variable
//! and what is expected. `.env.example` at the top of the repository documents each one.

use std::net::SocketAddr;
use std::time::Duration;

use chrono_tz::Tz;

mod env;

pub use env::parse_duration;
use env::{Env, invalid, parse_networks, parse_offsets};

/// A variable that is missing or does not parse: `Display` is the one line shown at start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {var} {problem}; expected {expected}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
    pub expected: &'static str,
}

/// Booking rules the domain enforces (see DESIGN.md, "Booking rules").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRules {
    /// At most this many active upcoming bookings per candidate.
    pub max_active_bookings: u32,
    /// A slot must start at least this far ahead to be booked.
    pub min_notice: Duration,
    /// Candidates may cancel or reschedule until this long before the slot.
    pub cancel_deadline: Duration,
    /// Reminders go out this long before an interview, largest first.
    pub reminder_offsets: Vec<Duration>,
    /// How far ahead slots may be booked (and the bot offers days).
    pub horizon_days: u32,
    /// The waitlist, reconfirmation and no-show policy.
    pub waitlist: WaitlistRules,
}

/// The waitlist's holds, reconfirmation and the no-show policy (issue 15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistRules {
    /// How long an offered seat is held for a waiting candidate (`WAITLIST_HOLD`).
    pub hold: Duration,
    /// Bookings not confirmed this long before the interview are flagged (`RECONFIRM_DEADLINE`).
    pub reconfirm_deadline: Duration,
    /// Whether flagged bookings are released to the waitlist (`RELEASE_UNCONFIRMED`).
    pub release_unconfirmed: bool,
    /// After this many no-shows a recruiter must approve a new booking; 0 = off (`NO_SHOW_LIMIT`).
    pub no_show_limit: u32,
    /// The zone preferred days and parts of the day are read in (`APP_TIMEZONE`).
    pub timezone: Tz,
}

impl Default for WaitlistRules {
    fn default() -> Self {
        Self {
            hold: Duration::from_secs(15 * 60),
            reconfirm_deadline: Duration::from_secs(3 * 3600),
            release_unconfirmed: false,
            no_show_limit: 0,
            timezone: chrono_tz::Europe::Moscow,
        }
    }
}

impl Default for BookingRules {
    fn default() -> Self {
        Self {
            max_active_bookings: 1,
            min_notice: Duration::from_secs(3600),
            cancel_deadline: Duration::from_secs(2 * 3600),
            reminder_offsets: vec![Duration::from_secs(24 * 3600), Duration::from_secs(3600)],
            horizon_days: 21,
            waitlist: WaitlistRules::default(),
        }
    }
}

impl BookingRules {
    fn from_env<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Self, ConfigError> {
        Ok(Self {
            max_active_bookings: env.num("MAX_ACTIVE_BOOKINGS", 1, 1, 100)?,
            min_notice: env.duration("MIN_BOOKING_NOTICE", "1h")?,
            cancel_deadline: env.duration("CANCEL_DEADLINE", "2h")?,
            reminder_offsets: parse_offsets(env.get("REMINDER_OFFSETS").as_deref().unwrap_or("24h,1h"))?,
            horizon_days: env.num("BOOKING_HORIZON_DAYS", 21, 1, 365)?,
            waitlist: WaitlistRules {
                hold: Some(env.duration("WAITLIST_HOLD", "15m")?)
                    .filter(|d| (60..=86_400).contains(&d.as_secs()))
                    .ok_or_else(|| {
                        let raw = env.get("WAITLIST_HOLD").unwrap_or_default();
                        invalid("WAITLIST_HOLD", &raw, "a duration from 1m to 24h, e.g. 15m")
                    })?,
                reconfirm_deadline: env.duration("RECONFIRM_DEADLINE", "3h")?,
                release_unconfirmed: env.boolean("RELEASE_UNCONFIRMED", false)?,
                no_show_limit: env.num("NO_SHOW_LIMIT", 0, 0, 100)?,
                timezone: env
                    .parsed("APP_TIMEZONE", "an IANA time zone, e.g. Europe/Moscow")?
                    .unwrap_or(chrono_tz::Europe::Moscow),
            },
        })
    }

    /// The first instant a slot may not start at to be bookable: `horizon_days` after `now`.
    pub fn horizon_end(&self, now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        now + chrono::Duration::days(i64::from(self.horizon_days))
    }
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The whole configuration; each service reads what it needs.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub rabbitmq_url: Option<String>,
    pub telegram_bot_token: Option<String>,
    pub telegram_api_url: Option<String>,
    pub contact_username: Option<String>,
    pub api_addr: SocketAddr,
    pub timezone: Tz,
    pub admin_username: Option<String>,
    pub admin_password: Option<String>,
    pub admin_chat_id: Option<i64>,
    pub booking: BookingRules,
    /// Overall Telegram send rate of the broadcast worker, messages per second.
    pub broadcast_rate_per_sec: u32,
    /// Sends with `allow_paid_broadcast` (`BROADCAST_PAID`): Telegram then accepts up to 1,000
    /// messages per second and charges 0.1 Star per message; the rate defaults to 1,000.
    pub broadcast_paid: bool,
    /// Minimum time between two messages to the same chat.
    pub per_chat_interval: Duration,
    /// Messages a consumer takes from the queue before acking.
    pub queue_prefetch: u16,
    /// The queue's name (its dead-letter queue is `<name>.dlq`).
    pub queue_name: String,
    pub log_format: LogFormat,
    /// Where api_server finds the built admin panel.
    pub panel_dir: std::path::PathBuf,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`); empty: the
    /// peer address is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// When set, `/metrics` is served only on this address, not beside the API (`METRICS_ADDR`).
    pub metrics_addr: Option<SocketAddr>,
    /// When interviewers get the day's agenda in Telegram, local time (`AGENDA_TIME`, 08:00).
    pub agenda_time: chrono::NaiveTime,
}

impl Config {
    /// Reads `.env` (if present) and then the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is normal; a broken one is not silently ignored.
        if let Err(err) = dotenvy::dotenv()
            && !err.not_found()
        {
            return Err(ConfigError {
                var: ".env",
                problem: format!("could not be read ({err})"),
                expected: "KEY=value lines",
            });
        }
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from any lookup (tests pass a map). Empty values count as unset.
    /// Each variable is read by one line below; a new setting is one more line (and one in
    /// `.env.example`).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env::new(lookup);
        let (admin_username, admin_password) = admin_credentials(&env)?;
        let database_url = env.get("DATABASE_URL").unwrap_or_else(|| "sqlite:./data.db".into());
        if !database_url.starts_with("sqlite:") {
            return Err(invalid("DATABASE_URL", &database_url, "a sqlite: URL, e.g. sqlite:./data.db"));
        }
        let amqp = "an amqp:// URL, e.g. amqp://guest:guest@127.0.0.1:5672/%2f";
        let rabbitmq_url = env.url("RABBITMQ_URL", &["amqp://", "amqps://"], amqp)?;
        let telegram_api_url = env.url("TELEGRAM_API_URL", &["http://", "https://"], "an http(s):// URL")?;
        let contact_username = contact_username(&env)?;
        let booking = BookingRules::from_env(&env)?;
        let broadcast_paid = env.boolean("BROADCAST_PAID", false)?;
        let default_rate = if broadcast_paid { TELEGRAM_PAID_RATE } else { TELEGRAM_FREE_RATE };
        Ok(Self {
            database_url,
            rabbitmq_url,
            telegram_bot_token: env.get("TELEGRAM_BOT_TOKEN"),
            telegram_api_url,
            contact_username,
            api_addr: env
                .parsed("API_ADDR", "host:port, e.g. 0.0.0.0:8080")?
                .unwrap_or(SocketAddr::from(([0, 0, 0, 0], 8080))),
            timezone: env
                .parsed("APP_TIMEZONE", "an IANA time zone, e.g. Europe/Moscow")?
                .unwrap_or(chrono_tz::Europe::Moscow),
            admin_username,
            admin_password,
            admin_chat_id: env.parsed("ADMIN_CHAT_ID", "a Telegram chat id (an integer)")?,
            booking,
            broadcast_rate_per_sec: env.num("BROADCAST_RATE_PER_SEC", default_rate, 1, 100_000)?,
            broadcast_paid,
            per_chat_interval: env.duration("BROADCAST_PER_CHAT_INTERVAL", "1s")?,
            queue_prefetch: env.num("QUEUE_PREFETCH", 256, 1, 10_000)?,
            queue_name: queue_name(&env)?,
            log_format: match env.get("LOG_FORMAT").as_deref() {
                None | Some("text") => LogFormat::Text,
                Some("json") => LogFormat::Json,
                Some(other) => return Err(invalid("LOG_FORMAT", other, "text or json")),
            },
            panel_dir: env.get("PANEL_DIR").unwrap_or_else(|| "admin-panel/dist".into()).into(),
            trusted_proxies: parse_networks(env.get("TRUSTED_PROXIES").as_deref().unwrap_or("")).map_err(|bad| {
                invalid("TRUSTED_PROXIES", &bad, "comma-separated IP addresses or CIDRs, e.g. 127.0.0.1,10.0.0.0/8")
            })?,
            metrics_addr: env.parsed("METRICS_ADDR", "host:port, e.g. 127.0.0.1:9100")?,
            agenda_time: match env.get("AGENDA_TIME") {
                None => chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
                Some(v) => chrono::NaiveTime::parse_from_str(v.trim(), "%H:%M")
                    .map_err(|_| invalid("AGENDA_TIME", &v, "a local time HH:MM, e.g. 08:00"))?,
            },
        })
    }

    /// The bot token, or the error that stops the bot.
    pub fn require_bot_token(&self) -> Result<&str, ConfigError> {
        self.telegram_bot_token.as_deref().ok_or(ConfigError {
            var: "TELEGRAM_BOT_TOKEN",
            problem: "is missing".into(),
            expected: "the bot token from @BotFather, e.g. 123456:ABC-DEF",
        })
    }

    /// The contact username, or the error that stops the bot.
    pub fn require_contact_username(&self) -> Result<&str, ConfigError> {
        self.contact_username.as_deref().ok_or(ConfigError {
            var: "CONTACT_USERNAME",
            problem: "is missing".into(),
            expected: "the Telegram username candidates are sent to for help, e.g. hr_team",
        })
    }
}

/// The first admin's credentials: both or neither, and not a guessable password.
fn admin_credentials<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
) -> Result<(Option<String>, Option<String>), ConfigError> {
    let admin_username = env.get("ADMIN_USERNAME");
    let admin_password = env.get("ADMIN_PASSWORD");
    if admin_username.is_some() != admin_password.is_some() {
        let var = if admin_username.is_some() { "ADMIN_PASSWORD" } else { "ADMIN_USERNAME" };
        return Err(ConfigError {
            var,
            problem: "is missing".into(),
            expected: "ADMIN_USERNAME and ADMIN_PASSWORD to be set together",
        });
    }
    if let (Some(username), Some(password)) = (&admin_username, &admin_password)
        && let Some(problem) = crate::admins::password_problem(username, password)
    {
        return Err(ConfigError { var: "ADMIN_PASSWORD", problem, expected: crate::admins::PASSWORD_ADVICE });
    }
    Ok((admin_username, admin_password))
}

fn contact_username<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Option<String>, ConfigError> {
    let contact_username = env.get("CONTACT_USERNAME").map(|u| u.trim_start_matches('@').to_owned());
    if let Some(name) = &contact_username
        && !is_telegram_username(name)
    {
        return Err(invalid("CONTACT_USERNAME", name, "a Telegram username (5-32 letters, digits, _)"));
    }
    Ok(contact_username)
}

fn is_telegram_username(name: &str) -> bool {
    (5..=32).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Telegram's overall limit for a bot's messages, per second.
pub const TELEGRAM_FREE_RATE: u32 = 30;
/// The limit with paid broadcasts (`allow_paid_broadcast`).
pub const TELEGRAM_PAID_RATE: u32 = 1000;

impl Config {
    /// Why the configured broadcast rate is above what Telegram accepts, if it is (such a rate
    /// only makes sense against a local Bot API server or a benchmark).
    pub fn broadcast_rate_warning(&self) -> Option<&'static str> {
        match (self.broadcast_paid, self.broadcast_rate_per_sec) {
            (false, rate) if rate > TELEGRAM_FREE_RATE => Some(
                "BROADCAST_RATE_PER_SEC is above Telegram's 30 messages per second; set BROADCAST_PAID=true or expect 429 answers",
            ),
            (true, rate) if rate > TELEGRAM_PAID_RATE => {
                Some("BROADCAST_RATE_PER_SEC is above Telegram's 1,000 paid messages per second; expect 429 answers")
            }
            _ => None,
        }
    }
}

fn queue_name<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<String, ConfigError> {
    match env.get("QUEUE_NAME") {
        None => Ok("telegram_broadcast".into()),
        Some(name)
            if name.len() <= 200 && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) =>
        {
            Ok(name)
        }
        Some(other) => Err(invalid("QUEUE_NAME", &other, "letters, digits, '_', '-' or '.'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.database_url, "sqlite:./data.db");
        assert_eq!(c.rabbitmq_url, None);
        assert_eq!(c.api_addr.to_string(), "0.0.0.0:8080");
        assert_eq!(c.timezone, chrono_tz::Europe::Moscow);
        assert_eq!(c.booking, BookingRules::default());
        assert_eq!(c.broadcast_rate_per_sec, 30);
        assert_eq!(c.per_chat_interval, Duration::from_secs(1));
        assert_eq!(c.log_format, LogFormat::Text);
    }

    #[test]
    fn an_invalid_value_names_the_variable_and_what_is_expected() {
        let err = config(&[("APP_TIMEZONE", "Mars/Olympus")]).expect_err("bad zone");
        assert_eq!(err.var, "APP_TIMEZONE");
        let line = err.to_string();
        assert!(line.contains("APP_TIMEZONE") && line.contains("IANA"), "{line}");
        assert!(!line.contains('\n'));

        for (var, value) in [
            ("DATABASE_URL", "postgres://x"),
            ("RABBITMQ_URL", "http://x"),
            ("API_ADDR", "nowhere"),
            ("METRICS_ADDR", "9100"),
            ("REMINDER_OFFSETS", "24h,soon"),
            ("AGENDA_TIME", "8am"),
            ("BROADCAST_RATE_PER_SEC", "0"),
            ("MAX_ACTIVE_BOOKINGS", "-1"),
            ("ADMIN_CHAT_ID", "abc"),
            ("LOG_FORMAT", "xml"),
            ("CONTACT_USERNAME", "a b"),
            ("MIN_BOOKING_NOTICE", "1x"),
            ("WAITLIST_HOLD", "soon"),
            ("WAITLIST_HOLD", "10s"),
            ("WAITLIST_HOLD", "2d"),
            ("RECONFIRM_DEADLINE", "3 hours"),
            ("RELEASE_UNCONFIRMED", "maybe"),
            ("NO_SHOW_LIMIT", "-1"),
        ] {
            assert_eq!(config(&[(var, value)]).expect_err(var).var, var);
        }
    }

    #[test]
    fn paid_broadcasts_lift_the_default_rate_and_a_rate_above_telegrams_limit_is_flagged() {
        let free = config(&[]).expect("defaults");
        assert!(!free.broadcast_paid);
        assert_eq!(free.broadcast_rate_warning(), None);

        let paid = config(&[("BROADCAST_PAID", "true")]).expect("paid");
        assert!(paid.broadcast_paid);
        assert_eq!(paid.broadcast_rate_per_sec, 1000);
        assert_eq!(paid.broadcast_rate_warning(), None);

        let too_fast = config(&[("BROADCAST_RATE_PER_SEC", "31")]).expect("31/s");
        assert!(too_fast.broadcast_rate_warning().is_some_and(|w| w.contains("BROADCAST_PAID")));
        let paid_too_fast = config(&[("BROADCAST_PAID", "1"), ("BROADCAST_RATE_PER_SEC", "1001")]).expect("1001/s");
        assert!(paid_too_fast.broadcast_rate_warning().is_some());

        assert_eq!(config(&[("BROADCAST_PAID", "sometimes")]).expect_err("bool").var, "BROADCAST_PAID");
        assert_eq!(config(&[("BROADCAST_RATE_PER_SEC", "100001")]).expect_err("max").var, "BROADCAST_RATE_PER_SEC");
    }

    #[test]
    fn the_waitlist_settings_are_read() {
        let c = config(&[
            ("WAITLIST_HOLD", "30m"),
            ("RECONFIRM_DEADLINE", "6h"),
            ("RELEASE_UNCONFIRMED", "true"),
            ("NO_SHOW_LIMIT", "2"),
            ("APP_TIMEZONE", "Asia/Almaty"),
        ])
        .expect("valid");
        let w = &c.booking.waitlist;
        assert_eq!((w.hold, w.reconfirm_deadline), (Duration::from_secs(1800), Duration::from_secs(6 * 3600)));
        assert_eq!((w.release_unconfirmed, w.no_show_limit, w.timezone), (true, 2, chrono_tz::Asia::Almaty));
        let d = config(&[]).expect("defaults").booking.waitlist;
        assert_eq!(
            (d.hold.as_secs(), d.reconfirm_deadline.as_secs(), d.release_unconfirmed, d.no_show_limit),
            (900, 10_800, false, 0)
        );
    }

    #[test]
    fn admin_credentials_come_in_pairs() {
        assert_eq!(config(&[("ADMIN_USERNAME", "root")]).expect_err("pair").var, "ADMIN_PASSWORD");
        assert_eq!(config(&[("ADMIN_PASSWORD", "quiet lantern mosaic")]).expect_err("pair").var, "ADMIN_USERNAME");
        assert_eq!(
            config(&[("ADMIN_USERNAME", "root"), ("ADMIN_PASSWORD", "short")]).expect_err("short").var,
            "ADMIN_PASSWORD"
        );
        assert!(config(&[("ADMIN_USERNAME", "root"), ("ADMIN_PASSWORD", "quiet lantern mosaic")]).is_ok());
    }

    #[test]
    fn a_guessable_first_admin_password_stops_the_service_with_one_line() {
        for weak in ["password", "12345678", "password1234", "root-password"] {
            let err = config(&[("ADMIN_USERNAME", "root"), ("ADMIN_PASSWORD", weak)]).expect_err(weak);
            let line = err.to_string();
            assert_eq!(err.var, "ADMIN_PASSWORD", "{line}");
            assert!(line.contains("12 characters") && !line.contains('\n'), "{line}");
            assert!(!line.contains(weak), "the password is not echoed: {line}");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert!(config(&[]).expect("valid").trusted_proxies.is_empty());
        let c = config(&[("TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8")]).expect("valid");
        let nets: Vec<String> = c.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["127.0.0.1/32", "10.0.0.0/8", "::1/128", "fd00::/8"]);
        let err = config(&[("TRUSTED_PROXIES", "127.0.0.1,proxy.local")]).expect_err("a name");
        assert_eq!(err.var, "TRUSTED_PROXIES");
        assert!(err.to_string().contains("proxy.local"), "{err}");
    }

    #[test]
    fn durations_and_offsets_parse() {
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("2d"), Some(Duration::from_secs(172_800)));
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("5 m"), None);
        let c = config(&[("REMINDER_OFFSETS", "1h, 24h ,1h")]).expect("valid");
        assert_eq!(c.booking.reminder_offsets, vec![Duration::from_secs(86_400), Duration::from_secs(3600)]);
    }

    #[test]
    fn the_bot_requires_a_token_and_a_contact() {
        let c = config(&[]).expect("valid");
        assert_eq!(c.require_bot_token().expect_err("no token").var, "TELEGRAM_BOT_TOKEN");
        assert_eq!(c.require_contact_username().expect_err("no contact").var, "CONTACT_USERNAME");
        let c = config(&[("TELEGRAM_BOT_TOKEN", "1:x"), ("CONTACT_USERNAME", "@hr_team")]).expect("valid");
        assert_eq!(c.require_contact_username().expect("set"), "hr_team");
    }
}
