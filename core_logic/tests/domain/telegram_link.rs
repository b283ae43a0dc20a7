//! An admin's own Telegram account, linked by a one-time deep link.

use chrono::Duration;
use core_logic::ConflictKind;
use core_logic::admins;
use core_logic::telegram_link::{self, CODE_PREFIX};

use super::support::{TestDb, t0};

/// The code of a t.me link.
fn code_of(url: &str) -> String {
    url.split_once("?start=").unwrap().1.to_owned()
}

#[tokio::test]
async fn a_link_is_refused_until_the_bot_has_told_its_username() {
    let db = TestDb::new().await;
    let admin = admins::create(&db.pool, "olga", "quiet lantern mosaic", t0()).await.unwrap();

    let refused = telegram_link::offer(&db.pool, admin.id, t0()).await.unwrap_err();
    assert_eq!(refused.conflict_kind(), Some(ConflictKind::BotNotStarted));

    telegram_link::set_bot_username(&db.pool, "hire_bot", t0()).await.unwrap();
    let offer = telegram_link::offer(&db.pool, admin.id, t0()).await.unwrap();
    let code = code_of(&offer.url);
    assert!(offer.url.starts_with("https://t.me/hire_bot?start=adm_"), "{}", offer.url);
    assert!(code.len() <= 64 && code.len() >= CODE_PREFIX.len() + 32, "{code}");
    assert!(code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'), "{code}");
    assert_eq!(offer.expires_at, t0() + Duration::minutes(telegram_link::CODE_TTL_MINUTES));
    // Only a hash of the code is kept.
    assert_eq!(db.count(&format!("SELECT COUNT(*) FROM admin_link_codes WHERE code_hash = '{code}'")).await, 0);
}

#[tokio::test]
async fn the_first_account_to_open_a_link_is_linked_and_the_code_is_spent() {
    let db = TestDb::new().await;
    let admin = admins::create(&db.pool, "olga", "quiet lantern mosaic", t0()).await.unwrap();
    telegram_link::set_bot_username(&db.pool, "hire_bot", t0()).await.unwrap();
    let (olga_tg, stranger) = (db.candidate(1).await, db.candidate(2).await);
    let code = code_of(&telegram_link::offer(&db.pool, admin.id, t0()).await.unwrap().url);

    assert_eq!(telegram_link::linked_account(&db.pool, admin.id).await.unwrap(), None);
    let linked = telegram_link::redeem(&db.pool, &code, olga_tg.id, t0()).await.unwrap().unwrap();
    assert_eq!(linked.admin_username, "olga");
    assert_eq!(telegram_link::linked_account(&db.pool, admin.id).await.unwrap().map(|c| c.id), Some(olga_tg.id));

    // Spent: nobody else can take the admin's place with it.
    assert_eq!(telegram_link::redeem(&db.pool, &code, stranger.id, t0()).await.unwrap(), None);
    assert_eq!(telegram_link::linked_account(&db.pool, admin.id).await.unwrap().map(|c| c.id), Some(olga_tg.id));
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'admin.telegram_link'").await, 1);

    telegram_link::unlink(&db.pool, admin.id, t0()).await.unwrap();
    assert_eq!(telegram_link::linked_account(&db.pool, admin.id).await.unwrap(), None);
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'admin.telegram_unlink'").await, 1);
}

#[tokio::test]
async fn expired_unknown_and_replaced_codes_link_nothing() {
    let db = TestDb::new().await;
    let admin = admins::create(&db.pool, "olga", "quiet lantern mosaic", t0()).await.unwrap();
    telegram_link::set_bot_username(&db.pool, "hire_bot", t0()).await.unwrap();
    let me = db.candidate(1).await;

    let old = code_of(&telegram_link::offer(&db.pool, admin.id, t0()).await.unwrap().url);
    let new = code_of(&telegram_link::offer(&db.pool, admin.id, t0()).await.unwrap().url);
    assert_eq!(telegram_link::redeem(&db.pool, &old, me.id, t0()).await.unwrap(), None, "a newer link replaces it");
    assert_eq!(
        telegram_link::redeem(&db.pool, "adm_0123456789abcdef0123456789abcdef", me.id, t0()).await.unwrap(),
        None
    );
    let late = t0() + Duration::minutes(telegram_link::CODE_TTL_MINUTES);
    assert_eq!(telegram_link::redeem(&db.pool, &new, me.id, late).await.unwrap(), None, "expired");
    assert_eq!(telegram_link::linked_account(&db.pool, admin.id).await.unwrap(), None);
}
