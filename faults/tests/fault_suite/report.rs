//! The one line a scenario prints, `<name>: recipients=.. sent=.. lost=.. duplicates=..
//! in_flight_at_kill=.. time_to_resume=.. total=..`, its details, and the verdict.

use std::time::Duration;

use tokio::time::Instant;

/// The measurements of one report line; `None` prints `-`.
#[derive(Debug, Default)]
pub struct Report {
    pub recipients: Option<i64>,
    pub sent: Option<i64>,
    pub lost: Option<i64>,
    pub duplicates: Option<i64>,
    pub in_flight_at_kill: Option<i64>,
    pub time_to_resume: Option<Duration>,
}

impl Report {
    /// Prints `name: recipients=.. sent=.. lost=.. duplicates=.. in_flight_at_kill=..
    /// time_to_resume=.. total=..` and the details, then fails listing `problems`, if any.
    pub fn print_and_judge(&self, name: &str, started: Instant, details: &[String], problems: &[String]) {
        let n = |value: Option<i64>| value.map_or("-".to_owned(), |v| v.to_string());
        let resume = self.time_to_resume.map_or("-".to_owned(), |t| format!("{:.2}s", t.as_secs_f64()));
        println!(
            "{name}: recipients={} sent={} lost={} duplicates={} in_flight_at_kill={} time_to_resume={resume} total={:.1}s",
            n(self.recipients),
            n(self.sent),
            n(self.lost),
            n(self.duplicates),
            n(self.in_flight_at_kill),
            started.elapsed().as_secs_f64()
        );
        for detail in details {
            println!("  {name}: {detail}");
        }
        for problem in problems {
            println!("  {name}: FAILED: {problem}");
        }
        assert!(problems.is_empty(), "{name} failed:\n- {}", problems.join("\n- "));
    }
}
