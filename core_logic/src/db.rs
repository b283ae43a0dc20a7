//! The SQLite pool: WAL, a busy timeout, foreign keys, and the migrations both services apply.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// The schema in `migrations/`, embedded at compile time so a binary needs no files beside it.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// How long a connection waits for another writer before SQLite answers SQLITE_BUSY.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (creating if missing) the SQLite database at `url` with the settings every service uses.
pub async fn connect(url: &str, max_connections: u32) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        // WAL lets readers run beside the one writer; NORMAL sync is durable across app crashes.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true);
    SqlitePoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
}

/// Opens the database and applies every pending migration (see [`migrate`]).
pub async fn connect_and_migrate(url: &str, max_connections: u32) -> Result<SqlitePool, sqlx::Error> {
    let pool = connect(url, max_connections).await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Applies every pending migration (idempotent), holding the database's write lock throughout:
/// api_server and telegram_bot may start together on a fresh file, and sqlx's migrator takes no
/// lock of its own on SQLite, so both would see an empty schema and both create the tables.
/// Under `BEGIN IMMEDIATE` the second waits, then finds the migrations applied. Each migration
/// runs in a savepoint of that one transaction.
pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut waited = 0u32;
    loop {
        let mut tx = match pool.begin_with("BEGIN IMMEDIATE").await {
            Ok(tx) => tx,
            // Another process holds the write lock past the busy timeout (a long migration of a
            // newer version, a backup): wait for it rather than fail the start.
            Err(err) if is_transient(&err) && waited < MIGRATION_WAITS => {
                waited += 1;
                tracing::warn!(%err, attempt = waited, "the database is locked by another process; waiting to migrate");
                continue;
            }
            Err(err) => return Err(err),
        };
        let pending = MIGRATOR.iter().count();
        // `run_direct` on the transaction's connection: `run(&mut tx)` gives a future that is not
        // `Send` for every lifetime (sqlx's "Acquire is not general enough"), which `tokio::spawn`
        // needs; `run` itself is a thin wrapper over this.
        MIGRATOR.run_direct(None, &mut *tx, false).await.map_err(|err| sqlx::Error::Migrate(Box::new(err)))?;
        tx.commit().await?;
        tracing::debug!(migrations = pending, "database schema up to date");
        return Ok(());
    }
}

/// How many busy timeouts [`migrate`] waits for the write lock before giving up (about 5 minutes).
const MIGRATION_WAITS: u32 = 30;

/// Whether `err` is a passing condition worth retrying: the database is locked or busy (another
/// writer held it past the busy timeout), the pool had no free connection in time, or an I/O
/// error. Anything else (a constraint, a bad row) will fail again the same way.
pub fn is_transient(err: &sqlx::Error) -> bool {
    const SQLITE_BUSY: i64 = 5;
    const SQLITE_LOCKED: i64 = 6;
    const SQLITE_IOERR: i64 = 10;
    match err {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i64>().ok())
            // Extended result codes keep the primary code in their low byte.
            .is_some_and(|code| matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED | SQLITE_IOERR)),
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => true,
        _ => false,
    }
}

/// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so a
/// transaction that reads and then writes never fails half way with SQLITE_BUSY: it waits
/// for the lock up front, within the busy timeout.
pub async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Whether `err` is a UNIQUE constraint violation (sqlx fills `constraint()` only on Postgres).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
