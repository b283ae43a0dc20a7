//! The SQLite pool: WAL, a busy timeout, foreign keys, the migrations both services apply, and
//! one writer at a time per process.
//!
//! SQLite has one writer per database. When several tasks of one process start write
//! transactions at once, all but one wait in SQLite's busy handler, which sleeps and retries
//! (1, 2, 5, 10 ms...), so under load most of the time went to sleeping and to waking threads.
//! Every write transaction of a process therefore first takes its turn on an async mutex for
//! that database file ([`begin_write`]): tasks queue fairly in memory, and only the two services'
//! writers ever meet in SQLite's lock. Reads need no turn (WAL readers never wait for the writer).

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex as SyncMutex, PoisonError};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

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
    // Opening a brand-new file switches it to WAL, which needs a moment of exclusive access:
    // when the other service opens it at the same instant, SQLite answers "database is locked"
    // at once, without waiting for the busy timeout. Try again for a few seconds.
    let mut attempt = 0;
    loop {
        let opened = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await;
        match opened {
            Err(err) if is_transient(&err) && attempt < OPEN_ATTEMPTS => {
                attempt += 1;
                tracing::debug!(%err, attempt, "the database is busy while opening; retrying");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => return other,
        }
    }
}

/// Attempts at opening the database while another process holds it (50 ms apart).
const OPEN_ATTEMPTS: u32 = 100;

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

/// The writer turns: one async mutex per database file, shared by every pool of this process
/// that opens it.
static WRITERS: LazyLock<SyncMutex<HashMap<PathBuf, Arc<Mutex<()>>>>> = LazyLock::new(Default::default);

/// This process's writer turn on the database behind `pool`.
fn writer_turn(pool: &SqlitePool) -> Arc<Mutex<()>> {
    let file = pool.connect_options().get_filename().to_path_buf();
    // The same file reached by two spellings of its path is one database.
    let file = std::fs::canonicalize(&file).unwrap_or(file);
    let mut writers = WRITERS.lock().unwrap_or_else(PoisonError::into_inner);
    Arc::clone(writers.entry(file).or_default())
}

/// A write transaction holding this process's writer turn on its database until it is committed
/// or dropped (a drop rolls it back). It derefs to the connection, like a `Transaction`.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl WriteTx {
    /// Commits, then gives the turn to the next writer.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    /// Rolls back, then gives the turn to the next writer.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

/// Starts a write transaction: waits for this process's turn to write (see the module docs),
/// then takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so a transaction that reads and
/// then writes never fails half way with SQLITE_BUSY; only the other service's writer can make
/// it wait, within the busy timeout.
pub async fn begin_write(pool: &SqlitePool) -> Result<WriteTx, sqlx::Error> {
    let turn = writer_turn(pool).lock_owned().await;
    let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    Ok(WriteTx { tx, _turn: turn })
}

/// Runs one writing statement in its own write transaction (with the writer turn), returning
/// the rows it changed.
pub async fn write<'q>(
    pool: &SqlitePool,
    query: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments>,
) -> Result<u64, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let changed = query.execute(&mut *tx).await?.rows_affected();
    tx.commit().await?;
    Ok(changed)
}

/// Whether `err` is a UNIQUE constraint violation (sqlx fills `constraint()` only on Postgres).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
