//! `make bench`: issue 11's measures on the release binaries, each beside its bare ceiling in
//! the same run, medians of 3 runs, printed as a Markdown table (docs/benchmarks.md).
//!
//! `bench [--runs N] [--only broadcast,limits,booking,calendar,updates]`
//!
//! Needs RabbitMQ (`RABBITMQ_URL`, default the shared broker on 127.0.0.1:5672; each run uses
//! queues of its own and deletes them). A measure's progress goes to stderr.

mod booking;
mod broadcast;
mod calendar;
mod ceilings;
mod load;
mod measures;
mod procstat;
mod report;
mod updates;

use anyhow::{Context, bail};

/// The measures, in the order they run.
const ALL: [&str; 5] = ["broadcast", "limits", "booking", "calendar", "updates"];

struct Args {
    runs: usize,
    only: Vec<String>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args { runs: 3, only: ALL.iter().map(|s| (*s).to_owned()).collect() };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => args.runs = it.next().context("--runs needs a number")?.parse().context("--runs N")?,
            "--only" => {
                args.only = it.next().context("--only needs a list")?.split(',').map(str::to_owned).collect();
                if let Some(bad) = args.only.iter().find(|m| !ALL.contains(&m.as_str())) {
                    bail!("unknown measure {bad:?}; the measures are {}", ALL.join(","));
                }
            }
            "-h" | "--help" => {
                println!("usage: bench [--runs N] [--only {}]", ALL.join(","));
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}; see --help"),
        }
    }
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    test_support::binaries::use_release_binaries();
    for binary in test_support::binaries::Binary::ALL {
        eprintln!("bench: {}", binary.path().display());
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!("bench: {} run(s) of each measure; load average before: {}", args.runs, load.trim());
    let mut rows = Vec::new();
    for measure in &args.only {
        eprintln!("bench: measuring {measure}");
        let found = match measure.as_str() {
            "broadcast" => measures::broadcast(args.runs).await,
            "limits" => measures::limits(args.runs).await,
            "booking" => measures::booking(args.runs).await,
            "calendar" => measures::calendar(args.runs).await,
            _ => measures::updates(args.runs).await,
        };
        report::print(&found);
        rows.extend(found);
    }
    println!("\n## All measures ({} run(s) each, medians; (min-max) of the runs)", args.runs);
    report::print(&rows);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("\nload average after: {}", load.trim());
    Ok(())
}
