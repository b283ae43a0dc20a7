//! Admin accounts (argon2id password hashes) and their server-side sessions. The session cookie
//! carries a random token; only its SHA-256 is stored, so a leaked database opens no session.

use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use crate::error::{ConflictKind, Error, Result};
use crate::models::Role;
use crate::time::{chrono_dur, unix};

/// A panel account (an admin, a recruiter or an interviewer), without the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Admin {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// The name the team sees; the login when absent.
    pub display_name: Option<String>,
    /// Set when the account was deactivated: it cannot log in.
    pub deactivated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Admin {
    /// Whether the account may use what recruiters use (everything but accounts).
    pub fn is_recruiter(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Recruiter)
    }

    /// The name to show.
    pub fn name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.username)
    }
}

/// The columns of [`Admin`].
pub(crate) const COLUMNS: &str = "id, username, role, display_name, deactivated_at, created_at, updated_at";

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused this long expires.
    pub idle: Duration,
    /// A session expires this long after login, however much it is used.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { idle: Duration::from_secs(2 * 3600), absolute: Duration::from_secs(7 * 86_400) }
    }
}

/// The shortest admin password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;
/// The longest admin password accepted.
pub const MAX_PASSWORD_LEN: usize = 256;

/// What a good admin password is, for refusals.
pub const PASSWORD_ADVICE: &str =
    "at least 12 characters that are hard to guess, e.g. three or four unrelated words with a digit";

/// Words of this application an attacker would try first, besides the admin's username.
const SITE_WORDS: &[&str] =
    &["admin", "administrator", "recruiter", "interview", "interviews", "booking", "bookings", "candidate", "telegram"];

fn validate(username: &str, password: &str) -> Result<()> {
    validate_username(username)?;
    check_password(username, password)
}

/// A login: 3-64 letters, digits, `_`, `.`, `-` or `@`.
pub fn validate_username(username: &str) -> Result<()> {
    let username = username.trim();
    let ok_name = (3..=64).contains(&username.chars().count())
        && username.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '@'));
    if !ok_name {
        return Err(Error::validation("username", "3-64 letters, digits, '_', '.', '-' or '@'"));
    }
    Ok(())
}

/// A password good enough for `username` (a 422 naming what is wrong otherwise).
pub fn check_password(username: &str, password: &str) -> Result<()> {
    match password_problem(username, password) {
        Some(problem) => Err(Error::validation("password", format!("{problem}; use {PASSWORD_ADVICE}"))),
        None => Ok(()),
    }
}

/// Why `password` is not good enough for the admin `username` (one short clause, e.g. "is too easy
/// to guess: this is a top-10 common password"), or `None` when it is: 12 to 256
/// characters, and not guessable by zxcvbn's estimate (score 3 or more, knowing the username and
/// this application's words), both as typed and with the spaces and `-_.` between words taken out
/// (two common words and a dash, like `admin-password`, are no passphrase). The message never
/// repeats the password.
pub fn password_problem(username: &str, password: &str) -> Option<String> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Some(format!("must be at least {MIN_PASSWORD_LEN} characters long (it has {len})"));
    }
    if len > MAX_PASSWORD_LEN {
        return Some(format!("must be at most {MAX_PASSWORD_LEN} characters long"));
    }
    let mut inputs = vec![username];
    inputs.extend_from_slice(SITE_WORDS);
    let joined: String = password.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.')).collect();
    let weakest = [password, joined.as_str()]
        .into_iter()
        .map(|p| zxcvbn::zxcvbn(p, &inputs))
        .min_by_key(zxcvbn::Entropy::score)?;
    if weakest.score() >= zxcvbn::Score::Three {
        return None;
    }
    let why = weakest.feedback().and_then(|f| f.warning()).map(|w| {
        let w = w.to_string();
        let mut chars = w.trim_end_matches('.').chars();
        chars.next().map(|first| format!(": {}{}", first.to_lowercase(), chars.as_str())).unwrap_or_default()
    });
    Some(format!("is too easy to guess{}", why.unwrap_or_default()))
}

/// Hashes a password with argon2id (default parameters, random salt), off the async threads.
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| Error::validation("password", format!("hashing failed: {e}")))?
    .map_err(|e| Error::validation("password", format!("hashing failed: {e}")))
}

async fn password_matches(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok())
        .await
        .unwrap_or(false)
}

/// Creates an admin; a taken username is a conflict.
pub async fn create(pool: &SqlitePool, username: &str, password: &str, now: DateTime<Utc>) -> Result<Admin> {
    validate(username, password)?;
    let hash = hash_password(password).await?;
    let mut tx = crate::db::begin_write(pool).await?;
    let admin = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO admins (username, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING {COLUMNS}"
    )))
    .bind(username)
    .bind(hash)
    .bind(unix(now))
    .bind(unix(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if crate::db::is_unique_violation(&e) {
            Error::conflict(ConflictKind::Duplicate, format!("admin {username} already exists"))
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    Ok(admin)
}

/// Sets a new password and revokes the admin's sessions.
pub async fn set_password(pool: &SqlitePool, username: &str, password: &str, now: DateTime<Utc>) -> Result<Admin> {
    validate(username, password)?;
    let hash = hash_password(password).await?;
    let mut tx = crate::db::begin_write(pool).await?;
    let admin: Admin = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE admins SET password_hash = ?, updated_at = ? WHERE username = ? RETURNING {COLUMNS}"
    )))
    .bind(hash)
    .bind(unix(now))
    .bind(username)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::not_found("admin", 0))?;
    sqlx::query("UPDATE admin_sessions SET revoked_at = ? WHERE admin_id = ? AND revoked_at IS NULL")
        .bind(unix(now))
        .bind(admin.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(admin)
}

/// Creates the first admin when there is none yet; returns it, or `None` when admins exist.
pub async fn ensure_first(
    pool: &SqlitePool,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Option<Admin>> {
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM admins)").fetch_one(pool).await?;
    if any {
        return Ok(None);
    }
    match create(pool, username, password, now).await {
        Ok(admin) => Ok(Some(admin)),
        // Another process created it at the same moment.
        Err(Error::Conflict { kind: ConflictKind::Duplicate, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The admin whose username and password these are. An unknown username costs the same hashing
/// time as a wrong password, so timing does not reveal which usernames exist.
pub async fn verify_login(pool: &SqlitePool, username: &str, password: &str) -> Result<Option<Admin>> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM admins WHERE username = ? AND deactivated_at IS NULL")
            .bind(username)
            .fetch_optional(pool)
            .await?;
    let Some((id, hash)) = row else {
        // A fixed, valid hash of an unguessable password: the same work as a real check.
        password_matches(password, DUMMY_HASH).await;
        return Ok(None);
    };
    if !password_matches(password, &hash).await {
        return Ok(None);
    }
    Ok(Some(get(pool, id).await?))
}

const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3O9MbJ1Nal2mIJo3fuPq1DRWNdMKTl7RhEGyqI8ro4k";

/// One admin.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Admin> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM admins WHERE id = ?")))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("admin", id))
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Opens a session for `admin_id` and returns its secret token (for the cookie).
pub async fn create_session(
    pool: &SqlitePool,
    admin_id: i64,
    policy: SessionPolicy,
    ip: Option<&str>,
    user_agent: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String> {
    let token = hex::encode(rand::random::<[u8; 32]>());
    crate::db::write(
        pool,
        sqlx::query(
            "INSERT INTO admin_sessions (token_hash, admin_id, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(token_hash(&token))
        .bind(admin_id)
        .bind(unix(now))
        .bind(unix(now))
        .bind(unix(now + chrono_dur(policy.absolute)))
        .bind(ip)
        .bind(user_agent.map(|ua| ua.chars().take(300).collect::<String>())),
    )
    .await?;
    Ok(token)
}

/// The admin of a live session (not revoked, not past its absolute or idle expiry), refreshing
/// its idle timer.
pub async fn session_admin(
    pool: &SqlitePool,
    token: &str,
    policy: SessionPolicy,
    now: DateTime<Utc>,
) -> Result<Option<Admin>> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.admin_id, s.last_seen_at FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
         WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND a.deactivated_at IS NULL",
    )
    .bind(token_hash(token))
    .bind(unix(now))
    .fetch_optional(pool)
    .await?;
    let Some((session_id, admin_id, last_seen)) = row else { return Ok(None) };
    if last_seen + policy.idle.as_secs() as i64 <= unix(now) {
        return Ok(None);
    }
    // Refresh at most once a minute: a busy panel must not write on every request.
    if unix(now) - last_seen >= 60 {
        crate::db::write(
            pool,
            sqlx::query("UPDATE admin_sessions SET last_seen_at = ? WHERE id = ?").bind(unix(now)).bind(session_id),
        )
        .await?;
    }
    Ok(Some(get(pool, admin_id).await?))
}

/// Revokes a session (logout). Unknown tokens are ignored.
pub async fn revoke_session(pool: &SqlitePool, token: &str, now: DateTime<Utc>) -> Result<()> {
    crate::db::write(
        pool,
        sqlx::query("UPDATE admin_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL")
            .bind(unix(now))
            .bind(token_hash(token)),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::phc::PasswordHash;

    #[test]
    fn the_dummy_hash_parses_so_unknown_users_cost_a_full_verification() {
        assert!(PasswordHash::new(super::DUMMY_HASH).is_ok());
    }
}
