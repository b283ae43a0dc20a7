//! Candidates registered by the bot and managed by admins.

use chrono::Duration;
use core_logic::candidates::{self, TelegramProfile, language_for};
use core_logic::models::CandidateStatus;

use super::support::{TestDb, t0};

fn profile(payload: Option<&str>, name: &str) -> TelegramProfile {
    TelegramProfile {
        telegram_user_id: 42,
        chat_id: 42,
        first_name: name.into(),
        username: Some("anna_k".into()),
        language: Some("en-US".into()),
        start_payload: payload.map(str::to_owned),
        ..Default::default()
    }
}

#[tokio::test]
async fn start_registers_once_keeps_the_first_payload_and_refreshes_the_profile() {
    let db = TestDb::new().await;

    let first = candidates::upsert_from_telegram(&db.pool, &profile(Some("campaign_1"), "Anna"), t0()).await.unwrap();
    let later = t0() + Duration::days(1);
    let second = candidates::upsert_from_telegram(&db.pool, &profile(Some("other"), "Анна"), later).await.unwrap();

    assert_eq!(first.id, second.id);
    assert_eq!(second.start_payload.as_deref(), Some("campaign_1"));
    assert_eq!(second.first_name, "Анна");
    assert_eq!(second.language, "en");
    assert_eq!((second.first_seen_at, second.last_seen_at), (t0(), later));
}

#[tokio::test]
async fn writing_again_makes_an_unreachable_candidate_reachable_but_not_a_blocked_one() {
    let db = TestDb::new().await;
    let c = candidates::upsert_from_telegram(&db.pool, &profile(None, "Anna"), t0()).await.unwrap();

    candidates::mark_unreachable(&db.pool, c.id).await.unwrap();
    let back = candidates::upsert_from_telegram(&db.pool, &profile(None, "Anna"), t0()).await.unwrap();
    candidates::set_blocked(&db.pool, None, c.id, true, t0()).await.unwrap();
    let blocked = candidates::upsert_from_telegram(&db.pool, &profile(None, "Anna"), t0()).await.unwrap();

    assert_eq!(back.status, CandidateStatus::Active);
    assert_eq!(blocked.status, CandidateStatus::Blocked);
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'candidate.block'").await, 1);
}

#[tokio::test]
async fn search_matches_names_and_usernames_and_treats_wildcards_literally() {
    let db = TestDb::new().await;
    for n in 1..=5 {
        db.candidate(n).await;
    }
    candidates::upsert_from_telegram(&db.pool, &profile(None, "100%_sure"), t0()).await.unwrap();

    let (all, total) = candidates::list(&db.pool, None, None, 2, 0).await.unwrap();
    let (hits, hit_total) = candidates::list(&db.pool, Some("candidate 3"), None, 10, 0).await.unwrap();
    let (literal, _) = candidates::list(&db.pool, Some("%_"), None, 10, 0).await.unwrap();
    let (by_username, _) = candidates::list(&db.pool, Some("ANNA_K"), None, 10, 0).await.unwrap();

    assert_eq!((all.len(), total), (2, 6));
    assert_eq!((hits.len(), hit_total), (1, 1));
    assert_eq!(literal.iter().map(|c| c.first_name.as_str()).collect::<Vec<_>>(), vec!["100%_sure"]);
    assert_eq!(by_username.len(), 1);
}

#[test]
fn english_telegram_users_get_english_and_everyone_else_russian() {
    assert_eq!(language_for(Some("en")), "en");
    assert_eq!(language_for(Some("en-GB")), "en");
    assert_eq!(language_for(Some("ru")), "ru");
    assert_eq!(language_for(Some("de")), "ru");
    assert_eq!(language_for(None), "ru");
}
