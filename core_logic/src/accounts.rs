//! Team accounts, managed by admins in the panel: invite a member (a one-time set-password
//! link, shown once), change a role, deactivate (every session ends at once) and reactivate,
//! reset a password (a new one-time link). The command line stays for the first admin and
//! emergencies. There is always at least one active admin: the last one cannot be demoted or
//! deactivated. Every change is audited.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{SqliteConnection, SqlitePool};

use crate::admins::{self, Admin, COLUMNS};
use crate::audit;
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::models::Role;
use crate::time::unix;

/// How long a set-password link works.
pub const TOKEN_TTL_HOURS: i64 = 72;
/// The longest display name.
pub const MAX_NAME_LEN: usize = 100;

/// An account to invite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// The login: 3-64 letters, digits, `_`, `.`, `-` or `@`.
    pub username: String,
    /// The name the team sees ("Мария Иванова").
    pub display_name: String,
    pub role: Role,
}

/// A one-time set-password link's secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SetPasswordLink {
    pub account: Admin,
    /// The secret of the link: the panel's `/set-password#<token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Admin> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM admins WHERE id = ?")))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::not_found("account", id))
}

/// A new one-time link for `admin_id`; older unused links of that account stop working.
async fn issue(
    conn: &mut SqliteConnection,
    admin_id: i64,
    purpose: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>)> {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let expires_at = now + Duration::hours(TOKEN_TTL_HOURS);
    sqlx::query("DELETE FROM account_tokens WHERE admin_id = ? AND used_at IS NULL")
        .bind(admin_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO account_tokens (admin_id, token_hash, purpose, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(admin_id)
    .bind(hash(&token))
    .bind(purpose)
    .bind(by)
    .bind(unix(now))
    .bind(unix(expires_at))
    .execute(&mut *conn)
    .await?;
    Ok((token, expires_at))
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_LEN {
        return Err(Error::validation("display_name", format!("1 to {MAX_NAME_LEN} characters")));
    }
    Ok(name.to_owned())
}

/// Invites a team member: the account exists at once with no usable password; the link lets
/// them set one.
pub async fn invite(
    pool: &SqlitePool,
    by: Option<i64>,
    new: &NewAccount,
    now: DateTime<Utc>,
) -> Result<SetPasswordLink> {
    admins::validate_username(&new.username)?;
    let name = check_name(&new.display_name)?;
    let mut tx = begin_write(pool).await?;
    // "!" is no PHC string: no password matches it until one is set.
    let account: Admin = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO admins (username, password_hash, role, display_name, created_at, updated_at)
         VALUES (?, '!', ?, ?, ?, ?) RETURNING {COLUMNS}"
    )))
    .bind(new.username.trim())
    .bind(new.role)
    .bind(&name)
    .bind(unix(now))
    .bind(unix(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if crate::db::is_unique_violation(&e) {
            Error::conflict(ConflictKind::Duplicate, format!("the login {} is taken", new.username.trim()))
        } else {
            e.into()
        }
    })?;
    let (token, expires_at) = issue(&mut tx, account.id, "invite", by, now).await?;
    let details = serde_json::json!({ "username": account.username, "display_name": name, "role": new.role });
    audit::record(&mut tx, now, by, "account.invite", "admin", Some(account.id), details).await?;
    tx.commit().await?;
    Ok(SetPasswordLink { account, token, expires_at })
}

/// A new set-password link for an existing account; its sessions end (the old password may be
/// known to someone else).
pub async fn reset_password(
    pool: &SqlitePool,
    by: Option<i64>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<SetPasswordLink> {
    let mut tx = begin_write(pool).await?;
    let account = load(&mut tx, id).await?;
    let (token, expires_at) = issue(&mut tx, id, "reset", by, now).await?;
    end_sessions(&mut tx, id, now).await?;
    audit::record(
        &mut tx,
        now,
        by,
        "account.reset_password",
        "admin",
        Some(id),
        serde_json::json!({ "username": account.username }),
    )
    .await?;
    tx.commit().await?;
    Ok(SetPasswordLink { account, token, expires_at })
}

/// What a set-password link leads to, for the page that asks for the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub username: String,
    pub display_name: Option<String>,
}

async fn live_token(conn: &mut SqliteConnection, token: &str, now: DateTime<Utc>) -> Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT t.id, t.admin_id FROM account_tokens t JOIN admins a ON a.id = t.admin_id
          WHERE t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > ? AND a.deactivated_at IS NULL",
    )
    .bind(hash(token))
    .bind(unix(now))
    .fetch_optional(conn)
    .await?
    .ok_or(Error::not_found("set-password link", 0))
}

/// Whose a live link is (unknown, used, expired or of a deactivated account: not found).
pub async fn token_info(pool: &SqlitePool, token: &str, now: DateTime<Utc>) -> Result<TokenInfo> {
    let mut conn = pool.acquire().await?;
    let (_, admin_id) = live_token(&mut conn, token, now).await?;
    let account = load(&mut conn, admin_id).await?;
    Ok(TokenInfo { username: account.username, display_name: account.display_name })
}

/// Sets the password through a one-time link, which is spent; the account's sessions end.
pub async fn set_password(pool: &SqlitePool, token: &str, password: &str, now: DateTime<Utc>) -> Result<Admin> {
    let (_, admin_id) = {
        let mut conn = pool.acquire().await?;
        live_token(&mut conn, token, now).await?
    };
    let account = admins::get(pool, admin_id).await?;
    admins::check_password(&account.username, password)?;
    let password_hash = admins::hash_password(password).await?;
    let mut tx = begin_write(pool).await?;
    // Checked again inside the write: a link used twice at once sets one password.
    let (token_id, _) = live_token(&mut tx, token, now).await?;
    sqlx::query("UPDATE account_tokens SET used_at = ? WHERE id = ?")
        .bind(unix(now))
        .bind(token_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE admins SET password_hash = ?, updated_at = ? WHERE id = ?")
        .bind(password_hash)
        .bind(unix(now))
        .bind(admin_id)
        .execute(&mut *tx)
        .await?;
    end_sessions(&mut tx, admin_id, now).await?;
    audit::record(&mut tx, now, Some(admin_id), "account.set_password", "admin", Some(admin_id), serde_json::json!({}))
        .await?;
    tx.commit().await?;
    Ok(account)
}

async fn end_sessions(conn: &mut SqliteConnection, admin_id: i64, now: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE admin_sessions SET revoked_at = ? WHERE admin_id = ? AND revoked_at IS NULL")
        .bind(unix(now))
        .bind(admin_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Refuses to leave the team without an active admin: `id` is the last one.
async fn keep_an_admin(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let others: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM admins WHERE role = 'admin' AND deactivated_at IS NULL AND id != ?")
            .bind(id)
            .fetch_one(conn)
            .await?;
    if others == 0 {
        return Err(Error::conflict(
            ConflictKind::LastAdmin,
            "this is the last active admin; make another admin first",
        ));
    }
    Ok(())
}

/// Changes an account's role.
pub async fn set_role(pool: &SqlitePool, by: Option<i64>, id: i64, role: Role, now: DateTime<Utc>) -> Result<Admin> {
    let mut tx = begin_write(pool).await?;
    let before = load(&mut tx, id).await?;
    if before.role == Role::Admin && role != Role::Admin && before.deactivated_at.is_none() {
        keep_an_admin(&mut tx, id).await?;
    }
    sqlx::query("UPDATE admins SET role = ?, updated_at = ? WHERE id = ?")
        .bind(role)
        .bind(unix(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details = serde_json::json!({ "username": before.username, "from": before.role, "to": role });
    audit::record(&mut tx, now, by, "account.role", "admin", Some(id), details).await?;
    let after = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Deactivates (`active` false) or reactivates an account. Deactivation ends its sessions at once.
pub async fn set_active(
    pool: &SqlitePool,
    by: Option<i64>,
    id: i64,
    active: bool,
    now: DateTime<Utc>,
) -> Result<Admin> {
    let mut tx = begin_write(pool).await?;
    let before = load(&mut tx, id).await?;
    if !active {
        if by == Some(id) {
            return Err(Error::conflict(ConflictKind::OwnAccount, "you cannot deactivate yourself"));
        }
        if before.role == Role::Admin {
            keep_an_admin(&mut tx, id).await?;
        }
        end_sessions(&mut tx, id, now).await?;
    }
    sqlx::query("UPDATE admins SET deactivated_at = ?, updated_at = ? WHERE id = ?")
        .bind((!active).then(|| before.deactivated_at.map_or(unix(now), unix)))
        .bind(unix(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let action = if active { "account.reactivate" } else { "account.deactivate" };
    audit::record(&mut tx, now, by, action, "admin", Some(id), serde_json::json!({ "username": before.username }))
        .await?;
    let after = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Changes an account's display name.
pub async fn rename(
    pool: &SqlitePool,
    by: Option<i64>,
    id: i64,
    display_name: &str,
    now: DateTime<Utc>,
) -> Result<Admin> {
    let name = check_name(display_name)?;
    let mut tx = begin_write(pool).await?;
    let before = load(&mut tx, id).await?;
    sqlx::query("UPDATE admins SET display_name = ?, updated_at = ? WHERE id = ?")
        .bind(&name)
        .bind(unix(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details = serde_json::json!({ "username": before.username, "display_name": name });
    audit::record(&mut tx, now, by, "account.rename", "admin", Some(id), details).await?;
    let after = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// An account as the accounts page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AccountRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub account: Admin,
    /// Whether a password was ever set (an invitation not yet accepted: false).
    pub has_password: bool,
    /// The latest session's last use.
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// Every account: active first, by name.
pub async fn list(pool: &SqlitePool) -> Result<Vec<AccountRow>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.username, a.role, a.display_name, a.deactivated_at, a.created_at, a.updated_at,
                a.password_hash != '!' AS has_password,
                (SELECT MAX(s.last_seen_at) FROM admin_sessions s WHERE s.admin_id = a.id) AS last_seen_at
           FROM admins a
          ORDER BY a.deactivated_at IS NOT NULL, COALESCE(a.display_name, a.username) COLLATE NOCASE, a.id",
    )
    .fetch_all(pool)
    .await?)
}
