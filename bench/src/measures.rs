//! Each measure: its runs, its ceilings, and the rows it adds to the table.

use std::time::Duration;

use fake_telegram::Limits;

use crate::broadcast::{self, Spec};
use crate::report::{Row, count, median, ms, one, spread};
use crate::{booking, calendar, ceilings, updates};

const BROADCAST: i64 = 10_000;
/// Recipients of the paid-mode run: 5 s at 1,000/s, long enough to measure a rate.
const PAID: i64 = 5_000;

fn values<T>(runs: &[T], f: impl Fn(&T) -> f64) -> Vec<f64> {
    runs.iter().map(f).collect()
}

/// `BROADCAST_RATE_PER_SEC` for "no limit": the largest the bot accepts.
async fn unlimited_rate() -> u32 {
    for rate in [1_000_000, 100_000, 10_000] {
        if broadcast::bot_accepts(&[("BROADCAST_RATE_PER_SEC", rate.to_string())]).await.is_ok() {
            return rate;
        }
    }
    1000
}

/// (1) 10,000 recipients, no Telegram limits, on RabbitMQ and on the embedded queue.
pub async fn broadcast(runs: usize) -> Vec<Row> {
    let rate = unlimited_rate().await;
    eprintln!("bench: BROADCAST_RATE_PER_SEC={rate} (the largest the bot accepts)");
    let mut rows = Vec::new();
    let (mut amqp, mut http) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        amqp.push(ceilings::amqp_round_trip(&test_support::rabbitmq_url(), BROADCAST as usize).await);
        http.push(ceilings::send_message_loop(BROADCAST as usize, 8).await);
    }
    eprintln!("bench: bare AMQP {amqp:?}, bare HTTP {http:?}");
    let ceiling = format!("bare AMQP {}, bare HTTP {} msg/s", count(median(&amqp)), count(median(&http)));
    for rabbitmq in [true, false] {
        let spec = Spec { recipients: BROADCAST, rabbitmq, rate, limits: None, bot_env: Vec::new(), loaded: false };
        let mut found = Vec::new();
        for _ in 0..runs {
            let run = broadcast::run(&spec).await;
            eprintln!("bench: {run:?}");
            found.push(run);
        }
        let backend = if rabbitmq { "RabbitMQ" } else { "embedded queue" };
        let rates = values(&found, |r| r.rate);
        let limit = median(&amqp).min(median(&http));
        rows.push(
            Row::new(
                format!("broadcast 10,000, no limit, {backend} (rate {rate}/s)"),
                spread(&rates, "msg/s", count),
                &ceiling,
            )
            .ratio(median(&rates) / limit)
            .target(if rabbitmq { ">= 5,000 msg/s" } else { ">= 3,000 msg/s" }),
        );
        let cpu = values(&found, |r| r.bot_cpu * 10_000.0 / BROADCAST as f64);
        rows.push(
            Row::new(format!("bot CPU per 10,000 deliveries, {backend}"), spread(&cpu, "s", one), "-")
                .target("<= 1/3 of today's"),
        );
        let (api, bot) = (values(&found, |r| r.api_rss_mib), values(&found, |r| r.bot_rss_mib));
        let memory = format!("api {} MiB, bot {} MiB", one(median(&api)), one(median(&bot)));
        rows.push(Row::new(format!("RSS after the broadcast, {backend}"), memory, "-").target("< 64 MiB each"));
    }
    rows
}

/// One row of a limited broadcast: achieved rate over the limit, and the 429s.
async fn limited(label: &str, spec: &Spec, limit: f64, runs: usize, target: &str) -> Row {
    let mut found = Vec::new();
    for _ in 0..runs {
        let run = broadcast::run(spec).await;
        eprintln!("bench: {label}: {run:?}");
        found.push(run);
    }
    let rates = values(&found, |r| r.rate);
    let too_many: Vec<u64> = found.iter().map(|r| r.too_many).collect();
    let system = format!("{}, 429 answers per run {too_many:?}", spread(&rates, "msg/s", one));
    Row::new(label, system, format!("{limit}/s, 0x429")).ratio(median(&rates) / limit).target(target)
}

/// (2) Telegram's limits on at the fake: 30/s and 1/s per chat, also with every core loaded;
/// the paid mode at 1,000/s.
pub async fn limits(runs: usize) -> Vec<Row> {
    let telegram = Some(Limits::default());
    let base =
        Spec { recipients: 1000, rabbitmq: true, rate: 30, limits: telegram, bot_env: Vec::new(), loaded: false };
    let mut rows = vec![
        limited("1,000 recipients at 30/s, 1/s per chat", &base, 30.0, runs, ">= 0.97, 0x429").await,
        limited(
            "same, both cores loaded by busy loops",
            &Spec { loaded: true, ..base.clone() },
            30.0,
            runs,
            ">= 0.97, 0x429",
        )
        .await,
    ];
    let paid_env = vec![("BROADCAST_PAID", "true".to_owned())];
    let label = "paid mode (BROADCAST_PAID=true), 5,000 recipients at 1,000/s, 1/s per chat";
    match broadcast::bot_accepts(&paid_env).await {
        Err(said) => {
            eprintln!("bench: the bot rejects BROADCAST_PAID: {said}");
            rows.push(
                Row::new(label, "n/a (the bot rejects BROADCAST_PAID)", "1000/s, 0x429").target(">= 0.95, 0x429"),
            );
        }
        Ok(()) => {
            let known = broadcast::bot_knows("BROADCAST_PAID");
            let paid = Spec {
                recipients: PAID,
                rate: 1000,
                // Telegram's limits: 30/s free, 1,000/s paid, 1/s per chat; the paid sends must use the paid one.
                limits: Some(Limits::default()),
                bot_env: paid_env,
                ..base
            };
            let label = if known { label.to_owned() } else { format!("{label} [this bot ignores BROADCAST_PAID]") };
            rows.push(limited(&label, &paid, 1000.0, runs, ">= 0.95, 0x429").await);
        }
    }
    rows
}

/// (3) Booking: 500 candidates on 100 slots, beside a bare insert loop.
pub async fn booking(runs: usize) -> Vec<Row> {
    let (mut found, mut bare) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let run = booking::run().await;
        eprintln!("bench: booking {run:?}");
        bare.push(booking::ceiling(usize::try_from(run.attempts).unwrap_or(2500)).await);
        found.push(run);
    }
    let rates = values(&found, |r| r.attempts_per_sec);
    let overbooked: Vec<i64> = found.iter().map(|r| r.overbooked).collect();
    let busy: Vec<u64> = found.iter().map(|r| r.busy).collect();
    let other: Vec<u64> = found.iter().map(|r| r.other_errors).collect();
    let booked: Vec<u64> = found.iter().map(|r| r.booked).collect();
    let system = format!(
        "{}; booked {booked:?}, overbooked {overbooked:?}, SQLITE_BUSY {busy:?}, other errors {other:?}",
        spread(&rates, "attempts/s", count)
    );
    let ceiling = format!("bare 1-connection insert loop {} /s", count(median(&bare)));
    vec![
        Row::new("booking, 500 candidates on 100 slots", system, ceiling)
            .ratio(median(&rates) / median(&bare))
            .target(">= 0.5, 0 overbooked, 0 SQLITE_BUSY"),
    ]
}

/// (4) A week of 1,001 slots: one request alone, 64 connections, beside `/healthz`.
pub async fn calendar(runs: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    for encoding in [None, Some("gzip, deflate, br")] {
        let mut found = Vec::new();
        for _ in 0..runs {
            found.push(calendar::run(encoding, Duration::from_secs(5)).await);
        }
        let how = encoding.map_or("identity".to_owned(), |e| format!("Accept-Encoding: {e}"));
        let single = values(&found, |r| r.single.percentile_ms(0.5));
        let bytes = found.last().map_or(0, |r| r.single.body_bytes);
        let plain = found.last().map_or(0, |r| r.plain_bytes);
        rows.push(
            Row::new(
                format!("GET a week of 1,001 slots alone ({how})"),
                spread(&single, "ms", ms),
                format!("{bytes} bytes ({plain} plain)"),
            )
            .target("<= 3 ms"),
        );
        let uncached = values(&found, |r| r.uncached.percentile_ms(0.5));
        rows.push(
            Row::new(
                format!("same, each request a page not kept yet (rendered by SQLite; {how})"),
                spread(&uncached, "ms", ms),
                "-",
            )
            .target("<= 3 ms"),
        );
        let rps = values(&found, |r| r.busy.per_sec());
        let (p50, p99) =
            (values(&found, |r| r.busy.percentile_ms(0.5)), values(&found, |r| r.busy.percentile_ms(0.99)));
        let healthz = values(&found, |r| r.healthz.per_sec());
        let system =
            format!("{}, p50 {} ms, p99 {} ms", spread(&rps, "req/s", count), ms(median(&p50)), ms(median(&p99)));
        rows.push(
            Row::new(
                format!("GET the week, {} connections ({how})", calendar::CONNECTIONS),
                system,
                format!("/healthz {} req/s", count(median(&healthz))),
            )
            .ratio(median(&rps) / median(&healthz))
            .target(">= 1,500 req/s, p99 <= 100 ms"),
        );
    }
    rows
}

/// (5) 5,000 `/start` updates, beside a bare echo bot.
pub async fn updates(runs: usize) -> Vec<Row> {
    let (mut found, mut bare) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        found.push(updates::run().await);
        bare.push(ceilings::echo_bot(updates::USERS as usize).await);
        eprintln!("bench: /start {found:?}, echo {bare:?}");
    }
    vec![
        Row::new(
            "5,000 /start updates",
            spread(&found, "updates/s", count),
            format!("bare echo bot {} updates/s", count(median(&bare))),
        )
        .ratio(median(&found) / median(&bare))
        .target(">= 0.5"),
    ]
}
