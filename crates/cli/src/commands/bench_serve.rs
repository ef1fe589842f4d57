//! `cardlm bench serve`: load on a `cardlm serve` over loopback. Clients
//! each send a request, wait for the answer and send the next, for a while,
//! at each level of concurrency; the figures are the aggregate characters per
//! second of the cards returned, the latency percentiles, the errors and the
//! server's resident memory over the run.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use clap::Args as ClapArgs;
use serde::Serialize;

#[derive(ClapArgs)]
pub struct Args {
    /// A running server's address (host:port); when absent, `cardlm serve`
    /// is started on a free loopback port with --model.
    #[arg(long)]
    addr: Option<String>,
    /// Model for the server started here [default: models/default].
    #[arg(long)]
    model: Option<PathBuf>,
    /// Concurrent clients, one level after the other.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    clients: Vec<usize>,
    /// Seconds of load at each level (after 2 s of warm-up).
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// Cards in each request.
    #[arg(long, default_value_t = 5)]
    cards: usize,
    /// Sampling temperature of the requests.
    #[arg(long, default_value_t = 1.0)]
    temperature: f64,
    /// Candidates per card (the API's `best_of`). 1 (the default here, not
    /// the API's 8) samples each card once, so that chars/s compares with
    /// `cardlm bench generate`'s; with N, N times the characters counted are
    /// sampled.
    #[arg(long, default_value_t = 1)]
    best_of: usize,
    /// After the levels, a soak: this many seconds at the highest level of
    /// --clients, with the server's memory sampled once a second (0: none).
    #[arg(long, default_value_t = 0.0)]
    soak: f64,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Level {
    clients: usize,
    seconds: f64,
    requests: usize,
    errors: usize,
    /// First error message, if any.
    first_error: Option<String>,
    cards: usize,
    chars: usize,
    chars_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// Server's resident memory (MiB) at the start and end of the level,
    /// and its highest sample (once a second).
    rss_start_mib: Option<f64>,
    rss_end_mib: Option<f64>,
    rss_max_mib: Option<f64>,
    /// The server's resident memory (MiB) once a second over the level.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rss_samples_mib: Vec<f64>,
}

/// A request's latency (ms) and its cards and characters, or its error.
type Outcome = (f64, Result<(usize, usize), String>);

/// One request's outcome: characters of the cards, or an error.
fn one_request(addr: &str, body: &str) -> Result<(usize, usize), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    write!(
        stream,
        "POST /api/generate HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("read: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no HTTP header")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let status = head.split(' ').nth(1).unwrap_or("?");
    let body = String::from_utf8_lossy(&raw[split + 4..]);
    if status != "200" {
        return Err(format!("{status}: {}", body.trim()));
    }
    let v: serde_json::Value = serde_json::from_str(&body).map_err(|e| format!("bad JSON: {e}"))?;
    let cards = v["cards"].as_array().ok_or("no cards")?;
    // Characters generated: each line without its start symbol.
    let chars = cards
        .iter()
        .map(|c| {
            c["line"]
                .as_str()
                .map_or(0, |l| l.chars().count().saturating_sub(1))
        })
        .sum();
    Ok((cards.len(), chars))
}

fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// `clients` clients for `seconds`; every request gets its own seed.
fn level(addr: &str, pid: Option<u32>, a: &Args, clients: usize, seconds: f64) -> Level {
    let stop = Arc::new(AtomicBool::new(false));
    let results: Arc<Mutex<Vec<Outcome>>> = Arc::default();
    let rss_start = pid.and_then(rss_mib);
    let started = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let (stop, results, addr) = (stop.clone(), results.clone(), addr.to_owned());
            let (cards, temperature, best_of) = (a.cards, a.temperature, a.best_of);
            std::thread::spawn(move || {
                let mut k = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let body = serde_json::json!({
                        "n": cards, "temperature": temperature, "best_of": best_of,
                        "seed": (c as u64) << 32 | k,
                    })
                    .to_string();
                    let t = Instant::now();
                    let r = one_request(&addr, &body);
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    results.lock().expect("results").push((ms, r));
                    k += 1;
                }
            })
        })
        .collect();
    let mut rss_max = rss_start;
    let mut samples = Vec::new();
    let mut next_sample = 1.0;
    while started.elapsed().as_secs_f64() < seconds {
        std::thread::sleep(Duration::from_millis(250));
        if let Some(r) = pid.and_then(rss_mib) {
            rss_max = Some(rss_max.map_or(r, |m: f64| m.max(r)));
            if started.elapsed().as_secs_f64() >= next_sample {
                samples.push(r);
                next_sample += 1.0;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    // Requests still running finish; they count with the time they took.
    for t in threads {
        let _ = t.join();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let results = std::mem::take(&mut *results.lock().expect("results"));
    let mut latencies: Vec<f64> = results.iter().map(|r| r.0).collect();
    latencies.sort_by(f64::total_cmp);
    let (mut cards, mut chars, mut errors, mut first_error) = (0, 0, 0, None);
    for (_, r) in &results {
        match r {
            Ok((n, c)) => {
                cards += n;
                chars += c;
            }
            Err(e) => {
                errors += 1;
                first_error.get_or_insert_with(|| e.clone());
            }
        }
    }
    Level {
        clients,
        seconds: elapsed,
        requests: results.len(),
        errors,
        first_error,
        cards,
        chars,
        chars_per_second: chars as f64 / elapsed,
        p50_ms: percentile(&latencies, 0.5),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().copied().unwrap_or(0.0),
        rss_start_mib: rss_start,
        rss_end_mib: pid.and_then(rss_mib),
        rss_max_mib: rss_max,
        rss_samples_mib: samples,
    }
}

/// The memory of a soak in words: the median of each minute's samples.
fn memory_by_minute(samples: &[f64]) -> String {
    let minutes: Vec<String> = samples
        .chunks(60)
        .map(|m| {
            let mut m = m.to_vec();
            m.sort_by(f64::total_cmp);
            format!("{:.0}", m[m.len() / 2])
        })
        .collect();
    format!("RSS median by minute: {} MiB", minutes.join(", "))
}

/// The server started for the benchmark; interrupted (Ctrl-C) when dropped.
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

fn start_server(model: Option<PathBuf>) -> Result<(Started, String)> {
    let exe = std::env::current_exe().context("cannot find the cardlm binary")?;
    let mut cmd = Command::new(exe);
    cmd.args(["serve", "--addr", "127.0.0.1:0"]);
    if let Some(m) = &model {
        cmd.arg("--model").arg(m);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start cardlm serve")?;
    let mut out = child.stdout.take().expect("piped");
    let server = Started(child);
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while out
        .read(&mut byte)
        .map_err(|e| anyhow!("cardlm serve: {e}"))?
        == 1
        && byte[0] != b'\n'
    {
        line.push(byte[0]);
    }
    let line = String::from_utf8_lossy(&line).into_owned();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .ok_or_else(|| anyhow!("cardlm serve did not start (it printed {line:?})"))?
        .to_owned();
    Ok((server, addr))
}

pub fn run(a: Args) -> Result<()> {
    if a.clients.contains(&0)
        || a.cards == 0
        || a.best_of == 0
        || !a.seconds.is_finite()
        || a.seconds <= 0.0
    {
        bail!("--clients, --cards and --best-of must be at least 1, --seconds positive");
    }
    if !(a.soak.is_finite() && a.soak >= 0.0) {
        bail!("--soak must be a number of seconds, 0 or more");
    }
    let (server, addr) = match &a.addr {
        Some(addr) => (None, addr.clone()),
        None => {
            let (s, addr) = start_server(a.model.clone())?;
            (Some(s), addr)
        }
    };
    let pid = server.as_ref().map(|s| s.0.id());
    // Warm-up: the first requests page the weights in.
    level(&addr, None, &a, 2, 2.0);
    let mut runs: Vec<(usize, f64)> = a.clients.iter().map(|&c| (c, a.seconds)).collect();
    if a.soak > 0.0 {
        runs.push((a.clients.iter().copied().max().unwrap_or(1), a.soak));
    }
    let mut levels = Vec::new();
    for (i, &(c, seconds)) in runs.iter().enumerate() {
        let l = level(&addr, pid, &a, c, seconds);
        if !a.json {
            if i == a.clients.len() {
                println!("soak, {seconds:.0} s:");
            }
            let mem = match (l.rss_start_mib, l.rss_end_mib, l.rss_max_mib) {
                (Some(s), Some(e), Some(m)) => format!(", RSS {s:.0} -> {e:.0} MiB (max {m:.0})"),
                _ => String::new(),
            };
            println!(
                "{:>3} clients: {:>8.0} chars/s, {:>5} requests of {} cards in {:.0} s, p50 {:.0} ms, p99 {:.0} ms, {} errors{mem}",
                c, l.chars_per_second, l.requests, a.cards, l.seconds, l.p50_ms, l.p99_ms, l.errors
            );
            if let Some(e) = &l.first_error {
                println!("     first error: {e}");
            }
            if i == a.clients.len() && !l.rss_samples_mib.is_empty() {
                println!("     {}", memory_by_minute(&l.rss_samples_mib));
            }
        }
        levels.push(l);
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&levels)?);
    }
    drop(server);
    Ok(())
}
