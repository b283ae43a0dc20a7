//! A fresh database per test and small builders for its rows.

use chrono::{DateTime, Duration, TimeZone, Utc};
use core_logic::candidates::{self, TelegramProfile};
use core_logic::config::BookingRules;
use core_logic::models::{Candidate, Slot};
use core_logic::slots::{self, NewSlot};
use sqlx::SqlitePool;

/// A migrated database in its own temporary directory, removed on drop.
pub struct TestDb {
    pub pool: SqlitePool,
    _dir: tempfile::TempDir,
}

impl TestDb {
    pub async fn new() -> Self {
        Self::with_connections(8).await
    }

    pub async fn with_connections(max: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("test.db").display());
        let pool = core_logic::db::connect_and_migrate(&url, max).await.unwrap();
        Self { pool, _dir: dir }
    }

    pub async fn candidate(&self, n: i64) -> Candidate {
        self.candidate_with_language(n, "ru").await
    }

    pub async fn candidate_with_language(&self, n: i64, language: &str) -> Candidate {
        let profile = TelegramProfile {
            telegram_user_id: 1000 + n,
            chat_id: 1000 + n,
            first_name: format!("Candidate {n}"),
            language: Some(language.into()),
            ..Default::default()
        };
        candidates::upsert_from_telegram(&self.pool, &profile, t0()).await.unwrap()
    }

    /// A slot starting `hours` after [`t0`], created at `t0`.
    pub async fn slot(&self, hours: i64, capacity: i64) -> Slot {
        slots::create(&self.pool, &Default::default(), None, &new_slot(t0() + Duration::hours(hours), capacity), t0())
            .await
            .unwrap()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(&self.pool).await.unwrap()
    }
}

pub fn new_slot(starts_at: DateTime<Utc>, capacity: i64) -> NewSlot {
    NewSlot {
        starts_at,
        duration_minutes: 30,
        capacity,
        format: "online".into(),
        location: Some("https://meet.example/room".into()),
        notes: None,
        vacancy_id: None,
        interviewer_ids: vec![],
    }
}

/// The fixed "now" tests start from.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

pub fn rules() -> BookingRules {
    BookingRules::default()
}
