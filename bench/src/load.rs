//! A small HTTP load generator: a closed loop of `connections` clients each sending its next
//! request when the previous answer is read, for a while; requests per second and latencies.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use reqwest::header::HeaderMap;

/// What a load run saw.
#[derive(Debug, Clone, Default)]
pub struct Load {
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
    /// Answers other than 2xx.
    pub failures: usize,
    /// Body bytes of the last answer.
    pub body_bytes: usize,
}

impl Load {
    pub fn per_sec(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency at `p` (0..=1) in milliseconds.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return f64::NAN;
        }
        let i = ((sorted.len() - 1) as f64 * p).round() as usize;
        sorted[i].as_secs_f64() * 1000.0
    }
}

/// `connections` loops GET `url` with `headers` for `duration`.
pub async fn closed_loop(
    client: &reqwest::Client,
    url: &str,
    headers: &HeaderMap,
    connections: usize,
    duration: Duration,
) -> Load {
    let started = Instant::now();
    let deadline = started + duration;
    let loops = (0..connections).map(|_| {
        let (client, url, headers) = (client.clone(), url.to_owned(), headers.clone());
        async move {
            let mut load = Load::default();
            while Instant::now() < deadline {
                let sent = Instant::now();
                match client.get(&url).headers(headers.clone()).send().await {
                    Ok(answer) if answer.status().is_success() => {
                        load.body_bytes = answer.bytes().await.map_or(0, |b| b.len());
                        load.latencies.push(sent.elapsed());
                    }
                    _ => load.failures += 1,
                }
            }
            load
        }
    });
    let mut total = Load::default();
    for load in join_all(loops).await {
        total.latencies.extend(load.latencies);
        total.failures += load.failures;
        total.body_bytes = total.body_bytes.max(load.body_bytes);
    }
    total.elapsed = started.elapsed();
    total
}

/// `n` requests one after the other (after a few to warm up); their latencies.
pub async fn sequential(client: &reqwest::Client, url: &str, headers: &HeaderMap, n: usize) -> Load {
    for _ in 0..10 {
        let _ = client.get(url).headers(headers.clone()).send().await.map(reqwest::Response::bytes);
    }
    let started = Instant::now();
    let mut load = Load::default();
    for _ in 0..n {
        let sent = Instant::now();
        let answer = client.get(url).headers(headers.clone()).send().await.expect("GET");
        assert!(answer.status().is_success(), "GET {url}: {}", answer.status());
        load.body_bytes = answer.bytes().await.expect("the body").len();
        load.latencies.push(sent.elapsed());
    }
    load.elapsed = started.elapsed();
    load
}

/// One request to each URL, one after the other; their latencies.
pub async fn sequential_each(
    client: &reqwest::Client,
    headers: &HeaderMap,
    urls: impl Iterator<Item = String>,
) -> Load {
    let started = Instant::now();
    let mut load = Load::default();
    for url in urls {
        let sent = Instant::now();
        let answer = client.get(&url).headers(headers.clone()).send().await.expect("GET");
        assert!(answer.status().is_success(), "GET {url}: {}", answer.status());
        load.body_bytes = answer.bytes().await.expect("the body").len();
        load.latencies.push(sent.elapsed());
    }
    load.elapsed = started.elapsed();
    load
}
