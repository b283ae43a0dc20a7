//! docker-compose.yml, as Compose resolves it (`config`; no Docker engine needed): api_server
//! is published on the host's loopback only, RabbitMQ's password must come from `.env`, and
//! METRICS_ADDR reaches api_server.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

/// `docker compose config` (or `docker-compose config`) with only `vars` set (an empty env file,
/// so a developer's `.env` does not leak in).
fn compose_config(vars: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let env_file = dir.path().join("empty.env");
    std::fs::write(&env_file, "").unwrap();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../docker-compose.yml");
    let v2 = Command::new("docker").args(["compose", "version"]).output().is_ok_and(|o| o.status.success());
    let mut cmd = if v2 {
        let mut c = Command::new("docker");
        c.arg("compose");
        c
    } else {
        Command::new("docker-compose")
    };
    cmd.args(["--env-file", env_file.to_str().unwrap(), "-f", file, "config"]);
    for var in ["TELEGRAM_BOT_TOKEN", "CONTACT_USERNAME", "RABBITMQ_USER", "RABBITMQ_PASSWORD", "API_BIND", "API_PORT"]
    {
        cmd.env_remove(var);
    }
    cmd.envs(vars.iter().copied());
    cmd.output().expect("docker compose or docker-compose is installed (make compose-check needs it too)")
}

const REQUIRED: [(&str, &str); 3] =
    [("TELEGRAM_BOT_TOKEN", "check"), ("CONTACT_USERNAME", "check_user"), ("RABBITMQ_PASSWORD", "s3cret-from-env")];

/// The lines of one service in `config`'s YAML output.
fn service<'a>(yaml: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("  {name}:");
    let mut lines = yaml.lines().skip_while(|l| *l != header);
    let mut out: Vec<&str> = lines.next().into_iter().collect();
    out.extend(lines.take_while(|l| l.starts_with("    ") || l.is_empty()));
    out
}

/// Whether a service's lines publish a port on `host_ip` (Compose v2 writes `host_ip: ...`,
/// docker-compose v1 `- host_ip:published:target/tcp`).
fn published_on(lines: &str, host_ip: &str) -> bool {
    lines.contains(&format!("host_ip: {host_ip}")) || lines.contains(&format!("- {host_ip}:"))
}

#[test]
fn api_server_is_published_on_the_loopback_only_by_default() {
    let out = compose_config(&REQUIRED);

    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let yaml = String::from_utf8(out.stdout).unwrap();
    let api = service(&yaml, "api_server").join("\n");
    assert!(published_on(&api, "127.0.0.1"), "api_server's port is on 127.0.0.1:\n{api}");
    let rabbit = service(&yaml, "rabbitmq").join("\n");
    assert!(published_on(&rabbit, "127.0.0.1"), "the management UI stays on the loopback:\n{rabbit}");
    let broker_port = rabbit.lines().any(|l| l.contains("5672") && !l.contains("15672"));
    assert!(!broker_port, "the broker itself is not published:\n{rabbit}");
}

#[test]
fn the_rabbitmq_password_must_come_from_the_env_file() {
    let missing = compose_config(&REQUIRED[..2]);
    let set = compose_config(&REQUIRED);

    assert!(!missing.status.success(), "Compose must refuse to start without RABBITMQ_PASSWORD");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("RABBITMQ_PASSWORD"));
    let yaml = String::from_utf8(set.stdout).unwrap();
    assert!(yaml.contains("RABBITMQ_DEFAULT_PASS: s3cret-from-env"), "{yaml}");
    assert!(yaml.contains("amqp://booking:s3cret-from-env@rabbitmq:5672"), "{yaml}");
}

#[test]
fn the_api_can_be_bound_elsewhere_and_metrics_given_their_own_address() {
    let mut vars = REQUIRED.to_vec();
    vars.extend([("API_BIND", "10.0.0.5"), ("METRICS_ADDR", "0.0.0.0:9100")]);

    let out = compose_config(&vars);

    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let yaml = String::from_utf8(out.stdout).unwrap();
    let api = service(&yaml, "api_server").join("\n");
    assert!(published_on(&api, "10.0.0.5"), "{api}");
    assert!(api.contains("METRICS_ADDR: 0.0.0.0:9100"), "{api}");
}
