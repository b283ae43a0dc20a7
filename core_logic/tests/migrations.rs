//! Migrations on a fresh database: api_server and telegram_bot start together and both apply
//! the schema; neither may fail.
#![allow(clippy::unwrap_used)]

/// Rounds of "two services start together on a fresh file".
const ROUNDS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn services_started_together_on_a_fresh_database_both_migrate() {
    for round in 0..ROUNDS {
        // Arrange: a file that does not exist yet.
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("fresh.db").display());

        // Act: three processes (api_server, telegram_bot, an admin command) open and migrate it at once.
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(3));
        let starts = (0..3).map(|_| {
            let (url, barrier) = (url.clone(), std::sync::Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                core_logic::db::connect_and_migrate(&url, 4).await
            })
        });
        let results = futures_util::future::join_all(starts).await;

        // Assert: both came up, on one schema.
        for result in results {
            if let Err(err) = result.unwrap() {
                panic!("round {round}: a service failed to migrate: {err}");
            }
        }
        let pool = core_logic::db::connect(&url, 1).await.unwrap();
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&pool).await.unwrap();
        assert_eq!(applied as usize, core_logic::db::MIGRATOR.iter().count(), "round {round}");
    }
}

/// The composer's migration titles the broadcasts written before it by the rule new ones follow
/// (`broadcasts::default_title`): the first non-empty visible line, at most 80 characters.
#[tokio::test]
async fn broadcasts_written_before_titles_get_their_first_line_as_title() {
    // Arrange: a database migrated up to the migration before the composer's, with broadcasts.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("old.db").display());
    let pool = core_logic::db::connect(&url, 1).await.unwrap();
    let before = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(
            core_logic::db::MIGRATOR.iter().filter(|m| m.version < 20261126000002).cloned().collect(),
        ),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    before.run(&pool).await.unwrap();
    let texts = [
        "<b>Новые слоты</b> на &lt;неделе&gt;\nвторая строка",
        "\n\n  <i>  hi &amp; bye </i>  ",
        "plain",
        &"я".repeat(100),
        "<a href=\"https://x.y/?a=1&amp;b=2\">link</a> tail\r\nmore",
        "<tg-spoiler>скрыто</tg-spoiler> &quot;в кавычках&quot;",
    ];
    for text in texts {
        sqlx::query("INSERT INTO broadcasts (text, segment, created_at) VALUES (?, '{\"kind\":\"all\"}', 0)")
            .bind(text)
            .execute(&pool)
            .await
            .unwrap();
    }

    // Act: the rest of the migrations.
    core_logic::db::migrate(&pool).await.unwrap();

    // Assert: each title is what a new broadcast with that text would get.
    let titles: Vec<(String, String)> =
        sqlx::query_as("SELECT text, title FROM broadcasts ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!(titles.len(), texts.len());
    for (text, title) in titles {
        assert_eq!(title, core_logic::broadcasts::default_title(&text), "the title of {text:?}");
        assert!(!title.is_empty() && title.chars().count() <= 80, "{title:?}");
    }
}
