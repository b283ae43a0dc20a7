//! Group commit: many concurrent callers each submit one item and wait for its result, while one
//! task runs them in batches, so N concurrent writes cost one transaction instead of N. A batch
//! is whatever arrived while the previous one ran (up to a maximum), so a lone caller waits for
//! nothing and a busy pipeline fills its batches by itself; no timer is involved.
//!
//! A batch that fails for a reason of its own items (the `isolate` test: not a busy database) is
//! run again item by item, so one item that cannot be written (a poison message) fails alone and
//! never takes its neighbours down with it; a passing condition (the database is locked) fails
//! the whole batch at once, and each caller retries as it would alone.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

/// What a caller gets back: its own result, or the error of the batch (shared by its items).
pub type BatchResult<R, E> = Result<R, Arc<E>>;

type Job<T, R, E> = (T, oneshot::Sender<BatchResult<R, E>>);

/// The submitting side of a batching task; cheap to clone. The task ends when the last clone is
/// dropped.
pub struct Batcher<T, R, E> {
    jobs: mpsc::UnboundedSender<Job<T, R, E>>,
}

impl<T, R, E> Clone for Batcher<T, R, E> {
    fn clone(&self) -> Self {
        Self { jobs: self.jobs.clone() }
    }
}

/// Why a submitted item got no result of its own.
#[derive(Debug, thiserror::Error)]
pub enum BatchError<E> {
    /// The batch (and the item alone, after it) failed.
    #[error(transparent)]
    Failed(Arc<E>),
    /// The batching task is gone (the runtime is shutting down).
    #[error("the batching task has stopped")]
    Stopped,
}

impl<T, R, E> Batcher<T, R, E>
where
    T: Clone + Send + 'static,
    R: Send + 'static,
    E: Send + Sync + 'static,
{
    /// Spawns the task (call inside a Tokio runtime). `run` takes up to `max` items and answers
    /// one result per item, in order; when it fails and `isolate` says the error may belong to
    /// one item, the items are run again one by one.
    pub fn spawn<F, Fut>(max: usize, isolate: fn(&E) -> bool, run: F) -> Self
    where
        F: Fn(Vec<T>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<R>, E>> + Send + 'static,
    {
        let (jobs, receiver) = mpsc::unbounded_channel();
        tokio::spawn(batch_loop(receiver, max.max(1), isolate, run));
        Self { jobs }
    }

    /// Submits one item and waits for its result.
    pub async fn submit(&self, item: T) -> Result<R, BatchError<E>> {
        let (answer, result) = oneshot::channel();
        self.jobs.send((item, answer)).map_err(|_| BatchError::Stopped)?;
        match result.await {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(e)) => Err(BatchError::Failed(e)),
            Err(_) => Err(BatchError::Stopped),
        }
    }
}

async fn batch_loop<T, R, E, F, Fut>(
    mut receiver: mpsc::UnboundedReceiver<Job<T, R, E>>,
    max: usize,
    isolate: fn(&E) -> bool,
    run: F,
) where
    T: Clone,
    F: Fn(Vec<T>) -> Fut,
    Fut: Future<Output = Result<Vec<R>, E>>,
{
    let mut batch = Vec::with_capacity(max);
    while receiver.recv_many(&mut batch, max).await > 0 {
        let (items, answers): (Vec<T>, Vec<_>) = std::mem::take(&mut batch).into_iter().unzip();
        let outcome = run(items.clone()).await;
        let alone = match &outcome {
            Ok(results) => results.len() != items.len(),
            Err(e) => isolate(e),
        };
        match outcome {
            Ok(results) if !alone => {
                for (answer, result) in answers.into_iter().zip(results) {
                    let _ = answer.send(Ok(result));
                }
            }
            // The batch failed for one of its items (or answered the wrong number of results,
            // a bug in `run`): each item alone, so a failure belongs to the item that caused it.
            _ if alone && items.len() > 1 => {
                for (item, answer) in items.into_iter().zip(answers) {
                    let result = match run(vec![item]).await {
                        Ok(mut one) if one.len() == 1 => Ok(one.remove(0)),
                        Ok(_) => continue,
                        Err(e) => Err(Arc::new(e)),
                    };
                    let _ = answer.send(result);
                }
            }
            Ok(_) => {}
            Err(e) => {
                let e = Arc::new(e);
                for answer in answers {
                    let _ = answer.send(Err(Arc::clone(&e)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn concurrent_submits_share_batches_and_each_gets_its_own_result() {
        // Arrange
        let batches = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&batches);
        let doubler = Batcher::spawn(
            16,
            |_| true,
            move |items: Vec<u32>| {
                counted.fetch_add(1, Ordering::SeqCst);
                async move { Ok::<_, String>(items.into_iter().map(|i| i * 2).collect()) }
            },
        );

        // Act
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..100u32 {
            let d = doubler.clone();
            tasks.spawn(async move { (i, d.submit(i).await.expect("a result")) });
        }
        let results = tasks.join_all().await;

        // Assert
        assert!(results.iter().all(|(i, doubled)| *doubled == i * 2));
        let batches = batches.load(Ordering::SeqCst);
        assert!((7..100).contains(&batches), "100 items at most 16 per batch took {batches} batches");
    }

    #[tokio::test]
    async fn a_failing_item_fails_alone_and_its_neighbours_succeed() {
        // Arrange: the batch fails whenever it holds the poison item 13.
        let batcher = Batcher::spawn(
            64,
            |_: &String| true,
            move |items: Vec<u32>| async move {
                if items.contains(&13) { Err(format!("poison in {items:?}")) } else { Ok(items) }
            },
        );

        // Act
        let mut tasks = tokio::task::JoinSet::new();
        for i in 10..20u32 {
            let b = batcher.clone();
            tasks.spawn(async move { (i, b.submit(i).await) });
        }
        let results = tasks.join_all().await;

        // Assert
        for (i, result) in results {
            match result {
                Ok(v) => assert_eq!(v, i),
                Err(BatchError::Failed(e)) => {
                    assert_eq!(i, 13);
                    assert_eq!(*e, "poison in [13]");
                }
                Err(BatchError::Stopped) => panic!("the batcher stopped"),
            }
        }
    }

    #[tokio::test]
    async fn a_passing_failure_fails_the_whole_batch_once_without_running_items_alone() {
        // Arrange: "busy" is not the items' fault, so nothing is run alone.
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&runs);
        let batcher = Batcher::spawn(
            64,
            |_: &String| false,
            move |_: Vec<u32>| {
                counted.fetch_add(1, Ordering::SeqCst);
                async { Err::<Vec<u32>, _>("busy".to_owned()) }
            },
        );

        // Act
        let result = batcher.submit(1).await;

        // Assert
        assert!(matches!(result, Err(BatchError::Failed(e)) if *e == "busy"));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }
}
