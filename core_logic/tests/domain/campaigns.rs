//! Campaigns: the slot-vacancy match in the booking transaction, invitation links (codes,
//! expiry, single-use binding under a race, ending on booking), questionnaires, the funnel on a
//! seeded dataset with known answers, and the campaign segments.

use std::sync::Arc;

use chrono::Duration;
use core_logic::ConflictKind;
use core_logic::bookings;
use core_logic::funnel::{self, Counts};
use core_logic::invites::{self, LinkKind, LinkState, NewLink, Opened};
use core_logic::models::VacancyStatus;
use core_logic::questionnaire::{self, Answer, Question, QuestionKind};
use core_logic::segments::Segment;
use core_logic::slots::{self, NewSlot};
use core_logic::vacancies::{self, Vacancy, VacancyFields};
use tokio::sync::Barrier;

use super::support::{TestDb, new_slot, rules, t0};

async fn vacancy(db: &TestDb, title: &str, questions: Vec<Question>) -> Vacancy {
    let fields = VacancyFields {
        title: title.into(),
        description: None,
        duration_minutes: 30,
        format: "online".into(),
        location: None,
        capacity: 1,
        position: 0,
        questions,
        show_interviewer: false,
    };
    vacancies::create(&db.pool, None, &fields, t0()).await.unwrap()
}

async fn slot_for(db: &TestDb, vacancy_id: Option<i64>, hours: i64, capacity: i64) -> i64 {
    let new = NewSlot { vacancy_id, ..new_slot(t0() + Duration::hours(hours), capacity) };
    slots::create(&db.pool, &Default::default(), None, &new, t0()).await.unwrap().id
}

fn source(vacancy_id: Option<i64>, label: &str) -> NewLink {
    NewLink {
        kind: LinkKind::Source,
        vacancy_id,
        label: label.into(),
        phone: None,
        note: None,
        expires_at: None,
        ends_on_booking: true,
    }
}

fn personal(vacancy_id: Option<i64>, name: &str) -> NewLink {
    NewLink { kind: LinkKind::Personal, ..source(vacancy_id, name) }
}

fn yes_no(text: &str) -> Question {
    Question { kind: QuestionKind::YesNo, text: text.into(), text_en: None, options: vec![], optional: false }
}

fn welcomed(opened: &Opened) -> bool {
    matches!(opened, Opened::Welcome { .. })
}

#[tokio::test]
async fn a_slot_of_another_vacancy_is_refused_inside_the_booking_transaction() {
    let db = TestDb::new().await;
    let courier = vacancy(&db, "Курьер", vec![]).await;
    let support = vacancy(&db, "Поддержка", vec![]).await;
    let courier_slot = slot_for(&db, Some(courier.id), 48, 2).await;
    let support_slot = slot_for(&db, Some(support.id), 50, 2).await;
    let any_slot = slot_for(&db, None, 52, 2).await;
    let anna = db.candidate(1).await;
    invites::choose_vacancy(&db.pool, anna.id, courier.id, t0()).await.unwrap();

    let refused = bookings::book(&db.pool, &rules(), anna.id, support_slot, t0()).await.unwrap_err();
    assert_eq!(refused.conflict_kind(), Some(ConflictKind::VacancyMismatch));
    let offered: Vec<i64> = slots::list_bookable(&db.pool, &rules(), Some(courier.id), t0(), t0() + Duration::days(7))
        .await
        .unwrap()
        .iter()
        .map(|s| s.slot.id)
        .collect();
    assert_eq!(offered, vec![courier_slot, any_slot], "the vacancy's slots and the any-vacancy ones");

    // A slot for any vacancy is booked for the candidate's choice, and a move keeps it.
    let booked = bookings::book(&db.pool, &rules(), anna.id, any_slot, t0()).await.unwrap();
    assert_eq!(booked.booking.vacancy_id, Some(courier.id));
    invites::choose_vacancy(&db.pool, anna.id, support.id, t0()).await.unwrap();
    let moved_wrong = bookings::reschedule(&db.pool, &rules(), anna.id, booked.booking.id, support_slot, t0()).await;
    assert_eq!(moved_wrong.unwrap_err().conflict_kind(), Some(ConflictKind::VacancyMismatch));
    let moved = bookings::reschedule(&db.pool, &rules(), anna.id, booked.booking.id, courier_slot, t0()).await.unwrap();
    assert_eq!(moved.booking.vacancy_id, Some(courier.id));
}

#[tokio::test]
async fn two_accounts_opening_one_personal_link_at_once_bind_exactly_one() {
    let db = TestDb::new().await;
    let courier = vacancy(&db, "Курьер", vec![]).await;
    for round in 0..10 {
        let link = invites::create(&db.pool, None, &personal(Some(courier.id), "Иван Петров"), t0()).await.unwrap();
        let (a, b) = (db.candidate(100 + round * 2).await, db.candidate(101 + round * 2).await);
        let barrier = Arc::new(Barrier::new(2));
        let open = |candidate: i64| {
            let (pool, code, barrier) = (db.pool.clone(), link.code.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                invites::open(&pool, &code, candidate, t0()).await.unwrap()
            })
        };
        let (ra, rb) = (open(a.id), open(b.id));
        let (ra, rb) = (ra.await.unwrap(), rb.await.unwrap());
        assert!(welcomed(&ra) ^ welcomed(&rb), "exactly one account is bound: {ra:?} / {rb:?}");
        let winner = if welcomed(&ra) { a.id } else { b.id };
        let loser = if winner == a.id { b.id } else { a.id };
        assert_eq!(invites::get(&db.pool, link.id).await.unwrap().candidate_id, Some(winner));
        // The bound account may open it again; the other never.
        assert!(welcomed(&invites::open(&db.pool, &link.code, winner, t0()).await.unwrap()));
        assert!(!welcomed(&invites::open(&db.pool, &link.code, loser, t0()).await.unwrap()));
        assert_eq!(invites::current_vacancy(&db.pool, winner).await.unwrap(), Some(courier.id));
        assert_eq!(invites::current_vacancy(&db.pool, loser).await.unwrap(), None);
    }
}

#[tokio::test]
async fn links_expire_end_on_booking_can_be_revoked_and_unknown_codes_are_told_apart() {
    let db = TestDb::new().await;
    let courier = vacancy(&db, "Курьер", vec![]).await;
    let slot = slot_for(&db, Some(courier.id), 48, 5).await;
    let expiring = NewLink { expires_at: Some(t0() + Duration::days(1)), ..personal(Some(courier.id), "Анна") };
    let expiring = invites::create(&db.pool, None, &expiring, t0()).await.unwrap();
    let (anna, boris, vera) = (db.candidate(1).await, db.candidate(2).await, db.candidate(3).await);

    assert!(invites::looks_like_code(&expiring.code));
    assert_eq!(expiring.state(t0()), LinkState::Active);
    let late = t0() + Duration::days(2);
    assert_eq!(expiring.state(late), LinkState::Expired);
    assert!(matches!(invites::open(&db.pool, &expiring.code, anna.id, late).await.unwrap(), Opened::NoLonger { .. }));
    assert_eq!(
        invites::open(&db.pool, "0123456789abcdef0123456789abcdef", anna.id, t0()).await.unwrap(),
        Opened::Unknown
    );

    // Ends on booking: used once the person books; another link that does not stays usable.
    let once = invites::create(&db.pool, None, &personal(Some(courier.id), "Борис"), t0()).await.unwrap();
    let reusable = NewLink { ends_on_booking: false, ..personal(Some(courier.id), "Вера") };
    let reusable = invites::create(&db.pool, None, &reusable, t0()).await.unwrap();
    assert!(welcomed(&invites::open(&db.pool, &once.code, boris.id, t0()).await.unwrap()));
    assert!(welcomed(&invites::open(&db.pool, &reusable.code, vera.id, t0()).await.unwrap()));
    bookings::book(&db.pool, &rules(), boris.id, slot, t0()).await.unwrap();
    bookings::book(&db.pool, &rules(), vera.id, slot, t0()).await.unwrap();
    assert_eq!(invites::get(&db.pool, once.id).await.unwrap().state(t0()), LinkState::Used);
    assert!(matches!(invites::open(&db.pool, &once.code, boris.id, t0()).await.unwrap(), Opened::NoLonger { .. }));
    assert!(welcomed(&invites::open(&db.pool, &reusable.code, vera.id, t0()).await.unwrap()));

    // Revoked, and a link of an archived vacancy.
    let hh = invites::create(&db.pool, None, &source(Some(courier.id), "hh.ru"), t0()).await.unwrap();
    invites::revoke(&db.pool, None, hh.id, t0()).await.unwrap();
    assert!(matches!(invites::open(&db.pool, &hh.code, anna.id, t0()).await.unwrap(), Opened::NoLonger { .. }));
    let poster = invites::create(&db.pool, None, &source(Some(courier.id), "Постер"), t0()).await.unwrap();
    vacancies::set_status(&db.pool, None, courier.id, VacancyStatus::Archived, t0()).await.unwrap();
    assert!(matches!(invites::open(&db.pool, &poster.code, anna.id, t0()).await.unwrap(), Opened::NoLonger { .. }));
    let refused = invites::create(&db.pool, None, &source(Some(courier.id), "Чат"), t0()).await.unwrap_err();
    assert_eq!(refused.conflict_kind(), Some(ConflictKind::VacancyArchived));

    // A link people came through is revoked, never deleted; an unopened one may be deleted.
    let in_use = invites::delete(&db.pool, None, reusable.id, t0()).await.unwrap_err();
    assert_eq!(in_use.conflict_kind(), Some(ConflictKind::LinkInUse));
    invites::delete(&db.pool, None, poster.id, t0()).await.unwrap();
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'link.%'").await, 7);
}

#[tokio::test]
async fn first_touch_stays_and_last_touch_follows() {
    let db = TestDb::new().await;
    let courier = vacancy(&db, "Курьер", vec![]).await;
    let hh = invites::create(&db.pool, None, &source(Some(courier.id), "hh.ru"), t0()).await.unwrap();
    let poster = invites::create(&db.pool, None, &source(None, "Постер у метро"), t0()).await.unwrap();
    let anna = db.candidate(1).await;
    invites::open(&db.pool, &hh.code, anna.id, t0()).await.unwrap();
    invites::open(&db.pool, &poster.code, anna.id, t0() + Duration::hours(1)).await.unwrap();
    invites::open(&db.pool, &hh.code, anna.id, t0() + Duration::hours(2)).await.unwrap();
    invites::open(&db.pool, &poster.code, anna.id, t0() + Duration::hours(3)).await.unwrap();
    let (first, last) = invites::sources_of(&db.pool, anna.id).await.unwrap();
    assert_eq!(first.as_deref(), Some("hh.ru"));
    assert_eq!(last.as_deref(), Some("Постер у метро"));
    // A link without a vacancy keeps the candidate's choice.
    assert_eq!(invites::current_vacancy(&db.pool, anna.id).await.unwrap(), Some(courier.id));
    // Each way in counts once.
    assert_eq!(db.count("SELECT COUNT(*) FROM funnel_touches").await, 2);
}

#[tokio::test]
async fn a_questionnaire_keeps_each_answer_refuses_a_stale_step_and_completes() {
    let db = TestDb::new().await;
    let questions = vec![
        Question {
            kind: QuestionKind::FullName,
            text: "Как вас зовут?".into(),
            text_en: None,
            options: vec![],
            optional: false,
        },
        Question {
            kind: QuestionKind::Phone, text: "Телефон".into(), text_en: None, options: vec![], optional: true
        },
        yes_no("Есть медкнижка?"),
    ];
    let courier = vacancy(&db, "Курьер", questions).await;
    let plain = vacancy(&db, "Склад", vec![]).await;
    let anna = db.candidate(1).await;

    let p = questionnaire::begin(&db.pool, anna.id, courier.id, 3, t0()).await.unwrap();
    assert_eq!((p.step, p.is_complete()), (0, false));
    let answer = |q: &str, kind, a: Option<&str>| Answer { question: q.into(), kind, answer: a.map(str::to_owned) };
    let name = answer("Как вас зовут?", QuestionKind::FullName, Some("Анна Иванова"));
    let p = questionnaire::answer(&db.pool, anna.id, courier.id, 0, 3, &name, t0()).await.unwrap().unwrap();
    assert_eq!(p.step, 1);
    // The same step again (a double tap, a replayed update) changes nothing.
    assert!(questionnaire::answer(&db.pool, anna.id, courier.id, 0, 3, &name, t0()).await.unwrap().is_none());
    // Begun again (a restart, /book): the same progress comes back.
    assert_eq!(questionnaire::begin(&db.pool, anna.id, courier.id, 3, t0()).await.unwrap().step, 1);
    let skipped = answer("Телефон", QuestionKind::Phone, None);
    questionnaire::answer(&db.pool, anna.id, courier.id, 1, 3, &skipped, t0()).await.unwrap().unwrap();
    let yes = answer("Есть медкнижка?", QuestionKind::YesNo, Some("Да"));
    let done = questionnaire::answer(&db.pool, anna.id, courier.id, 2, 3, &yes, t0()).await.unwrap().unwrap();
    assert!(done.is_complete());
    assert_eq!(done.answers.0, vec![name, skipped, yes]);
    assert_eq!(questionnaire::summary(&done.answers.0), "Как вас зовут?: Анна Иванова; Есть медкнижка?: Да");

    // A vacancy without questions is answered at once.
    assert!(questionnaire::begin(&db.pool, anna.id, plain.id, 0, t0()).await.unwrap().is_complete());
    let all = questionnaire::of_candidate(&db.pool, anna.id).await.unwrap();
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn invalid_questions_are_refused_with_the_question_named() {
    let db = TestDb::new().await;
    let choice = Question {
        kind: QuestionKind::Choice,
        text: "Когда удобно?".into(),
        text_en: None,
        options: vec!["Утро".into()],
        optional: false,
    };
    let fields = VacancyFields {
        title: "Курьер".into(),
        description: None,
        duration_minutes: 30,
        format: "online".into(),
        location: None,
        capacity: 1,
        position: 0,
        questions: vec![yes_no("Есть медкнижка?"), choice],
        show_interviewer: false,
    };
    let err = vacancies::create(&db.pool, None, &fields, t0()).await.unwrap_err();
    assert!(err.to_string().contains("question 2"), "{err}");
}

#[tokio::test]
async fn a_csv_import_is_all_or_nothing_and_names_the_bad_line() {
    let db = TestDb::new().await;
    let courier = vacancy(&db, "Курьер", vec![]).await;
    let bad = "имя;телефон;заметка\nИван Петров;+7 912 345-67-89;с ярмарки\nПётр;не телефон;\n";
    let err = invites::import_personal(&db.pool, None, bad, Some(courier.id), None, true, t0()).await.unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
    assert_eq!(db.count("SELECT COUNT(*) FROM invite_links").await, 0);

    let good = "name,phone\n\"Петров, Иван\",89123456789\nАнна,\n\n";
    let links = invites::import_personal(&db.pool, None, good, Some(courier.id), None, true, t0()).await.unwrap();
    let labels: Vec<(&str, Option<&str>)> = links.iter().map(|l| (l.label.as_str(), l.phone.as_deref())).collect();
    assert_eq!(labels, vec![("Петров, Иван", Some("+79123456789")), ("Анна", None)]);
    assert!(links.iter().all(|l| l.kind == LinkKind::Personal && l.vacancy_id == Some(courier.id)));
    let codes: std::collections::HashSet<&str> = links.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes.len(), 2);
}

/// Seeds people with known paths through the funnel and checks every count.
#[tokio::test]
async fn the_funnel_counts_a_seeded_campaign_exactly() {
    let db = TestDb::new().await;
    let courier = vacancy(&db, "Курьер", vec![yes_no("Есть медкнижка?")]).await;
    let support = vacancy(&db, "Поддержка", vec![]).await;
    let hh = invites::create(&db.pool, None, &source(Some(courier.id), "hh.ru"), t0()).await.unwrap();
    let poster = invites::create(&db.pool, None, &source(Some(courier.id), "Постер"), t0()).await.unwrap();
    let soon = slot_for(&db, Some(courier.id), 2, 10).await;
    let later = slot_for(&db, Some(courier.id), 48, 10).await;
    let support_slot = slot_for(&db, Some(support.id), 48, 10).await;
    let c: Vec<i64> = {
        let mut ids = vec![];
        for n in 0..8 {
            ids.push(db.candidate(n).await.id);
        }
        ids
    };
    let answered = |id: i64, vacancy_id: i64, total: usize| {
        let pool = db.pool.clone();
        async move {
            questionnaire::begin(&pool, id, vacancy_id, total, t0()).await.unwrap();
            if total > 0 {
                let a =
                    Answer {
                        question: "Есть медкнижка?".into(), kind: QuestionKind::YesNo, answer: Some("Да".into())
                    };
                questionnaire::answer(&pool, id, vacancy_id, 0, total, &a, t0()).await.unwrap().unwrap();
            }
        }
    };
    // hh.ru: c0 opens only; c1 answers; c2 books and comes; c3 books and does not come;
    // c4 books and cancels.
    for &id in &c[0..5] {
        invites::open(&db.pool, &hh.code, id, t0()).await.unwrap();
    }
    for &id in &c[1..5] {
        answered(id, courier.id, 1).await;
    }
    let b2 = bookings::book(&db.pool, &rules(), c[2], soon, t0()).await.unwrap();
    let b3 = bookings::book(&db.pool, &rules(), c[3], soon, t0()).await.unwrap();
    let b4 = bookings::book(&db.pool, &rules(), c[4], later, t0()).await.unwrap();
    let after = t0() + Duration::hours(3);
    bookings::mark_attendance(&db.pool, None, b2.booking.id, true, after).await.unwrap();
    bookings::mark_attendance(&db.pool, None, b3.booking.id, false, after).await.unwrap();
    bookings::cancel_by_candidate(&db.pool, &rules(), c[4], b4.booking.id, t0()).await.unwrap();
    // The poster: c5 opens, answers and books. c2 also saw the poster later (counted there too,
    // once in the vacancy).
    invites::open(&db.pool, &poster.code, c[5], t0()).await.unwrap();
    answered(c[5], courier.id, 1).await;
    bookings::book(&db.pool, &rules(), c[5], later, t0()).await.unwrap();
    invites::open(&db.pool, &poster.code, c[2], t0() + Duration::hours(1)).await.unwrap();
    // In the bot without a link: c6 chooses support and books; c7 chooses it and leaves.
    for &id in &c[6..8] {
        invites::choose_vacancy(&db.pool, id, support.id, t0()).await.unwrap();
        answered(id, support.id, 0).await;
    }
    bookings::book(&db.pool, &rules(), c[6], support_slot, t0()).await.unwrap();
    // Someone outside the period does not count.
    let outsider = db.candidate(99).await;
    invites::open(&db.pool, &hh.code, outsider.id, t0() - Duration::days(40)).await.unwrap();

    let f = funnel::funnel(&db.pool, t0() - Duration::days(30), t0() + Duration::days(1)).await.unwrap();
    let counts = |opened, answered, booked, attended, no_show, cancelled| Counts {
        opened,
        answered,
        booked,
        attended,
        no_show,
        cancelled,
    };
    let by_vacancy: Vec<(Option<&str>, Counts)> =
        f.vacancies.iter().map(|r| (r.vacancy_title.as_deref(), r.counts)).collect();
    assert_eq!(
        by_vacancy,
        vec![(Some("Курьер"), counts(6, 5, 4, 1, 1, 1)), (Some("Поддержка"), counts(2, 2, 1, 0, 0, 0)),]
    );
    let by_source: Vec<(Option<&str>, Counts)> = f.sources.iter().map(|r| (r.label.as_deref(), r.counts)).collect();
    assert_eq!(
        by_source,
        vec![
            (Some("hh.ru"), counts(5, 4, 3, 1, 1, 1)),
            (Some("Постер"), counts(2, 2, 2, 1, 0, 0)),
            (None, counts(2, 2, 1, 0, 0, 0)),
        ]
    );
    assert_eq!(f.sources[2].vacancy_title.as_deref(), Some("Поддержка"));
}

#[tokio::test]
async fn campaign_segments_pick_by_vacancy_source_and_answered_never_booked() {
    let db = TestDb::new().await;
    let courier = vacancy(&db, "Курьер", vec![yes_no("Есть медкнижка?")]).await;
    let support = vacancy(&db, "Поддержка", vec![]).await;
    let hh = invites::create(&db.pool, None, &source(Some(courier.id), "hh.ru"), t0()).await.unwrap();
    let slot = slot_for(&db, Some(courier.id), 48, 10).await;
    let (anna, boris, vera) = (db.candidate(1).await, db.candidate(2).await, db.candidate(3).await);
    let a = Answer {
        question: "Есть медкнижка?".into(), kind: QuestionKind::YesNo, answer: Some("Нет".into())
    };
    for c in [&anna, &boris] {
        invites::open(&db.pool, &hh.code, c.id, t0()).await.unwrap();
        questionnaire::begin(&db.pool, c.id, courier.id, 1, t0()).await.unwrap();
        questionnaire::answer(&db.pool, c.id, courier.id, 0, 1, &a, t0()).await.unwrap().unwrap();
    }
    bookings::book(&db.pool, &rules(), boris.id, slot, t0()).await.unwrap();
    invites::choose_vacancy(&db.pool, vera.id, support.id, t0()).await.unwrap();

    let tz = chrono_tz::Europe::Moscow;
    let ids = |segment: Segment| {
        let pool = db.pool.clone();
        async move {
            let b = core_logic::broadcasts::create(
                &pool,
                None,
                &core_logic::broadcasts::NewBroadcast::new("Привет", segment),
                t0(),
            )
            .await
            .unwrap();
            core_logic::broadcasts::write_deliveries(&pool, b.id, tz, t0()).await.unwrap();
            sqlx::query_scalar::<_, i64>(
                "SELECT candidate_id FROM deliveries WHERE broadcast_id = ? ORDER BY candidate_id",
            )
            .bind(b.id)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(ids(Segment::Vacancy { vacancy_id: courier.id }).await, vec![anna.id, boris.id]);
    assert_eq!(ids(Segment::Vacancy { vacancy_id: support.id }).await, vec![vera.id]);
    assert_eq!(ids(Segment::Source { link_id: hh.id }).await, vec![anna.id, boris.id]);
    assert_eq!(ids(Segment::AnsweredNeverBooked { vacancy_id: Some(courier.id) }).await, vec![anna.id]);
    assert_eq!(ids(Segment::AnsweredNeverBooked { vacancy_id: None }).await, vec![anna.id]);
}

#[tokio::test]
async fn a_slot_changes_vacancy_unless_its_bookings_are_for_another() {
    let db = TestDb::new().await;
    let courier = vacancy(&db, "Курьер", vec![]).await;
    let support = vacancy(&db, "Поддержка", vec![]).await;
    let slot = slot_for(&db, None, 48, 3).await;
    let change = |vacancy_id: Option<i64>| slots::SlotChanges { vacancy_id: Some(vacancy_id), ..Default::default() };
    let moved = slots::update(&db.pool, &rules(), None, slot, &change(Some(support.id)), t0()).await.unwrap();
    assert_eq!(moved.vacancy_id, Some(support.id));
    let back = slots::update(&db.pool, &rules(), None, slot, &change(None), t0()).await.unwrap();
    assert_eq!(back.vacancy_id, None, "null makes it a slot for any vacancy");
    // Absent keeps it.
    let kept: slots::SlotChanges = serde_json::from_str(r#"{"capacity": 2}"#).unwrap();
    assert_eq!(kept.vacancy_id, None);
    let cleared: slots::SlotChanges = serde_json::from_str(r#"{"vacancy_id": null}"#).unwrap();
    assert_eq!(cleared.vacancy_id, Some(None));

    let anna = db.candidate(1).await;
    invites::choose_vacancy(&db.pool, anna.id, courier.id, t0()).await.unwrap();
    bookings::book(&db.pool, &rules(), anna.id, slot, t0()).await.unwrap();
    let refused = slots::update(&db.pool, &rules(), None, slot, &change(Some(support.id)), t0()).await.unwrap_err();
    assert_eq!(refused.conflict_kind(), Some(ConflictKind::VacancyMismatch));
    slots::update(&db.pool, &rules(), None, slot, &change(Some(courier.id)), t0()).await.unwrap();
    vacancies::set_status(&db.pool, None, support.id, VacancyStatus::Archived, t0()).await.unwrap();
    let archived = slots::update(&db.pool, &rules(), None, slot, &change(Some(support.id)), t0()).await.unwrap_err();
    assert_eq!(archived.conflict_kind(), Some(ConflictKind::VacancyArchived));
}

#[tokio::test]
async fn a_segment_naming_an_unknown_vacancy_or_link_is_refused() {
    let db = TestDb::new().await;
    for segment in [
        Segment::Vacancy { vacancy_id: 42 },
        Segment::Source { link_id: 42 },
        Segment::AnsweredNeverBooked { vacancy_id: Some(42) },
    ] {
        let new = core_logic::broadcasts::NewBroadcast::new("Привет", segment);
        let err = core_logic::broadcasts::create(&db.pool, None, &new, t0()).await.unwrap_err();
        assert!(matches!(err, core_logic::Error::Validation { .. }), "{err}");
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM broadcasts").await, 0);
}
