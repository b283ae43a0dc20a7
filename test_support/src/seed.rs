//! A temporary SQLite database for a test: the migrations applied through
//! `core_logic::db::connect_and_migrate`, as the services do, and as many active candidates as the
//! test needs, inserted in one transaction.

use chrono::Utc;
use sqlx::SqlitePool;
use tempfile::TempDir;

/// A database file in a temporary directory (which also holds the services' logs), with
/// candidates whose chat ids (and Telegram user ids) are `first_chat + i`.
pub struct SeededDb {
    /// The directory; removed when dropped unless the test is failing (then kept for its logs).
    pub dir: Option<TempDir>,
    /// `sqlite:<dir>/test.db`.
    pub url: String,
    pub pool: SqlitePool,
    /// The candidates' row ids, in insertion order (candidate `i` has chat `first_chat + i`).
    pub candidate_ids: Vec<i64>,
    pub first_chat: i64,
}

impl SeededDb {
    /// A fresh database with `count` active candidates.
    pub async fn new(count: i64, first_chat: i64) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite:{}", dir.path().join("test.db").display());
        let pool = database(&url).await;
        let candidate_ids = candidates(&pool, count, first_chat).await;
        Self { dir: Some(dir), url, pool, candidate_ids, first_chat }
    }

    /// The temporary directory.
    pub fn path(&self) -> &std::path::Path {
        self.dir.as_ref().expect("the directory is kept until drop").path()
    }

    /// The chat id of candidate `i`.
    pub fn chat(&self, i: i64) -> i64 {
        self.first_chat + i
    }
}

impl Drop for SeededDb {
    fn drop(&mut self) {
        if std::thread::panicking()
            && let Some(dir) = self.dir.take()
        {
            eprintln!("the failing test's database and service logs are kept in {}", dir.keep().display());
        }
    }
}

/// Opens (creating) the database at `url` and applies the migrations.
pub async fn database(url: &str) -> SqlitePool {
    core_logic::db::connect_and_migrate(url, 4)
        .await
        .unwrap_or_else(|error| panic!("create the database {url}: {error}"))
}

/// Inserts `count` active candidates with chat ids (and Telegram user ids) from `first_chat`;
/// returns their row ids in order.
pub async fn candidates(pool: &SqlitePool, count: i64, first_chat: i64) -> Vec<i64> {
    let now = Utc::now().timestamp();
    let mut tx = pool.begin().await.expect("begin");
    let mut ids = Vec::with_capacity(usize::try_from(count).unwrap_or_default());
    for i in 0..count {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO candidates (telegram_user_id, chat_id, first_name, username, language, first_seen_at, last_seen_at)
             VALUES (?1, ?1, ?2, ?3, 'ru', ?4, ?4) RETURNING id",
        )
        .bind(first_chat + i)
        .bind(format!("Candidate {i}"))
        .bind(format!("candidate_{}", first_chat + i))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .expect("insert a candidate");
        ids.push(id);
    }
    tx.commit().await.expect("commit the candidates");
    ids
}
