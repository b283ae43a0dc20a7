//! Admin accounts and sessions with a controlled clock.

use std::time::Duration as StdDuration;

use chrono::Duration;
use core_logic::admins::{self, SessionPolicy};
use core_logic::{ConflictKind, Error};

use super::support::{TestDb, t0};

const POLICY: SessionPolicy =
    SessionPolicy { idle: StdDuration::from_secs(2 * 3600), absolute: StdDuration::from_secs(24 * 3600) };

#[tokio::test]
async fn passwords_are_stored_as_argon2id_and_verified() {
    let db = TestDb::new().await;

    let admin = admins::create(&db.pool, "anna", "quiet lantern mosaic", t0()).await.unwrap();

    let hash: String = sqlx::query_scalar("SELECT password_hash FROM admins").fetch_one(&db.pool).await.unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert_eq!(admins::verify_login(&db.pool, "anna", "quiet lantern mosaic").await.unwrap(), Some(admin.clone()));
    assert_eq!(admins::verify_login(&db.pool, "ANNA", "quiet lantern mosaic").await.unwrap(), Some(admin));
    assert_eq!(admins::verify_login(&db.pool, "anna", "wrong password").await.unwrap(), None);
    assert_eq!(admins::verify_login(&db.pool, "nobody", "quiet lantern mosaic").await.unwrap(), None);
}

#[tokio::test]
async fn the_first_admin_is_created_only_when_there_is_none() {
    let db = TestDb::new().await;

    let first = admins::ensure_first(&db.pool, "root", "quiet lantern mosaic", t0()).await.unwrap();
    let second = admins::ensure_first(&db.pool, "other", "quiet lantern mosaic", t0()).await.unwrap();
    let duplicate = admins::create(&db.pool, "Root", "quiet lantern mosaic", t0()).await;

    assert_eq!(first.map(|a| a.username), Some("root".to_owned()));
    assert_eq!(second, None);
    assert_eq!(duplicate.unwrap_err().conflict_kind(), Some(ConflictKind::Duplicate));
    let short = admins::create(&db.pool, "x", "short", t0()).await;
    assert!(matches!(short, Err(Error::Validation { field: "username", .. })), "{short:?}");
}

#[tokio::test]
async fn a_session_expires_when_idle_and_absolutely_and_on_logout() {
    let db = TestDb::new().await;
    let admin = admins::create(&db.pool, "anna", "quiet lantern mosaic", t0()).await.unwrap();
    let token = admins::create_session(&db.pool, admin.id, POLICY, Some("127.0.0.1"), None, t0()).await.unwrap();
    let at = |minutes: i64| t0() + Duration::minutes(minutes);

    // Used every 90 minutes: the idle timer keeps being refreshed...
    for m in (1..=15).map(|i| i * 90) {
        assert!(admins::session_admin(&db.pool, &token, POLICY, at(m)).await.unwrap().is_some(), "at {m} min");
    }
    // ...until the absolute limit (90 minutes after the last use: not idle).
    assert!(admins::session_admin(&db.pool, &token, POLICY, at(24 * 60)).await.unwrap().is_none());

    let idle = admins::create_session(&db.pool, admin.id, POLICY, None, None, t0()).await.unwrap();
    assert!(admins::session_admin(&db.pool, &idle, POLICY, at(121)).await.unwrap().is_none(), "idle 2 h");

    let out = admins::create_session(&db.pool, admin.id, POLICY, None, None, t0()).await.unwrap();
    admins::revoke_session(&db.pool, &out, at(1)).await.unwrap();
    assert!(admins::session_admin(&db.pool, &out, POLICY, at(2)).await.unwrap().is_none());
    assert!(admins::session_admin(&db.pool, "forged", POLICY, at(2)).await.unwrap().is_none());
}

#[tokio::test]
async fn resetting_a_password_ends_every_session_of_that_admin() {
    let db = TestDb::new().await;
    let admin = admins::create(&db.pool, "anna", "quiet lantern mosaic", t0()).await.unwrap();
    let token = admins::create_session(&db.pool, admin.id, POLICY, None, None, t0()).await.unwrap();

    admins::set_password(&db.pool, "anna", "plum-orbit-canyon-17", t0()).await.unwrap();

    assert!(admins::session_admin(&db.pool, &token, POLICY, t0()).await.unwrap().is_none());
    assert!(admins::verify_login(&db.pool, "anna", "plum-orbit-canyon-17").await.unwrap().is_some());
    let missing = admins::set_password(&db.pool, "ghost", "plum-orbit-canyon-17", t0()).await;
    assert!(matches!(missing, Err(Error::NotFound { .. })), "{missing:?}");
}

#[tokio::test]
async fn short_or_guessable_passwords_are_refused_saying_why() {
    let db = TestDb::new().await;
    admins::create(&db.pool, "anna", "quiet lantern mosaic", t0()).await.unwrap();

    for (password, says) in [
        ("password", "at least 12 characters"),
        ("12345678", "at least 12 characters"),
        ("password1234", "too easy to guess"),
        ("qwertyuiop123", "too easy to guess"),
        ("anna-password", "too easy to guess"),
        ("anna anna anna", "too easy to guess"),
        ("summer-holiday", "too easy to guess"),
    ] {
        let created = admins::create(&db.pool, "olga", password, t0()).await;
        let reset = admins::set_password(&db.pool, "anna", password, t0()).await;
        let first = admins::ensure_first(&TestDb::new().await.pool, "root", password, t0()).await;

        for result in [created.map(drop), reset.map(drop), first.map(drop)] {
            match result {
                Err(Error::Validation { field: "password", message }) => {
                    assert!(message.contains(says), "{password}: {message}");
                    assert!(!message.contains(password), "the password is not echoed: {message}");
                }
                other => panic!("{password} was not refused: {other:?}"),
            }
        }
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM admins").await, 1);
    assert!(admins::verify_login(&db.pool, "anna", "quiet lantern mosaic").await.unwrap().is_some());
}
