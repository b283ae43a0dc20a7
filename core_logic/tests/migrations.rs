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
