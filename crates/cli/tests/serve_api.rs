//! `cardlm serve` over HTTP on 127.0.0.1 (port 0) with a tiny model trained
//! here: every route, validation errors, the same cards as `generate`, a seed
//! that gives the same cards under load, 429/503, and a clean stop on SIGINT.
//! Never needs ../shared.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier, OnceLock};

use serde_json::{json, Value};

mod common;
use common::{cardlm, s, train_tiny_model, LINES};

/// A corpus and a tiny model trained on it, shared by the tests of this file.
fn fixture() -> &'static (PathBuf, PathBuf) {
    static F: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    F.get_or_init(|| {
        train_tiny_model(
            &std::env::temp_dir().join(format!("cardlm-serve-api-{}", std::process::id())),
        )
    })
}

/// A running `cardlm serve`, stopped with SIGINT when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let (_, model) = fixture();
        let mut child = Command::new(env!("CARGO_BIN_EXE_cardlm"))
            .args(["serve", "--model", s(model), "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let start = line.find("http://").expect(&line) + "http://".len();
        let end = line[start..].find('/').unwrap() + start;
        Server {
            addr: line[start..end].to_owned(),
            child,
        }
    }

    /// Waits for the server to exit; returns the exit status and stderr.
    fn wait(mut self) -> (std::process::ExitStatus, String) {
        let status = self.child.wait().unwrap();
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        std::mem::forget(self);
        (status, err)
    }
}

/// SIGINT, as Ctrl-C.
fn interrupt(pid: u32) -> bool {
    Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .is_ok_and(|s| s.success())
}

impl Drop for Server {
    fn drop(&mut self) {
        interrupt(self.child.id());
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 exchange: status, headers (lower-case names) and body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    /// Server-sent events as (name, data).
    fn events(&self) -> Vec<(String, Value)> {
        self.body
            .split("\n\n")
            .filter_map(|block| {
                let mut name = None;
                let mut data = None;
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event:") {
                        name = Some(n.trim().to_owned());
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data = Some(serde_json::from_str(d.trim()).unwrap());
                    }
                }
                Some((name?, data?))
            })
            .collect()
    }
}

/// One HTTP/1.1 exchange: status, headers (lower-case names), the body as
/// bytes (de-chunked), and whether it came chunked.
fn exchange(
    addr: &str,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, Vec<(String, String)>, Vec<u8>, bool) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut rest = &raw[split + 4..];
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        let mut out = Vec::new();
        loop {
            let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16)
                .unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 2 + size + 2..];
        }
        out
    } else {
        rest.to_vec()
    };
    (status, headers, body, chunked)
}

fn request(addr: &str, method: &str, path: &str, body: &str) -> Reply {
    let (status, headers, body, _) = exchange(addr, method, path, body);
    Reply {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

fn post(addr: &str, path: &str, body: &Value) -> Reply {
    request(addr, "POST", path, &body.to_string())
}

#[test]
fn health_model_page_and_assets() {
    let server = Server::start(&[]);
    let a = &server.addr;
    let health = request(a, "GET", "/api/health", "");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    let info = request(a, "GET", "/api/model", "").json();
    assert_eq!(info["model"]["hidden"], 16);
    assert!(info["parameters"].as_u64().unwrap() > 0);
    assert_eq!(info["limits"]["max_cards"], 64);
    assert_eq!(info["limits"]["max_best_of"], 256);
    let exports: Vec<&str> = info["exports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        exports,
        [
            "text",
            "json",
            "jsonl",
            "html",
            "mse",
            "cockatrice",
            "scryfall",
            "png",
            "svg"
        ]
    );
    assert_eq!(info["exports"][4]["route"], "/api/export?format=mse");
    assert_eq!(
        info["novelty"], true,
        "the corpus the model records is there"
    );
    let page = request(a, "GET", "/", "");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(page.body.contains("<form id=\"form\""));
    assert!(!page.body.contains("http://") && !page.body.contains("https://"));
    for (path, kind) in [
        ("/assets/app.js", "text/javascript"),
        ("/assets/app.css", "text/css"),
        ("/assets/cards.css", "text/css"),
    ] {
        let r = request(a, "GET", path, "");
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with(kind),
            "{path}"
        );
        assert!(!r.body.contains("https://"), "{path} fetches nothing");
    }
    let missing = request(a, "GET", "/nowhere", "");
    assert_eq!(missing.status, 404);
    assert!(missing.json()["error"]
        .as_str()
        .unwrap()
        .contains("no such page"));
    let wrong = request(a, "GET", "/api/generate", "");
    assert_eq!(wrong.status, 405);
    assert!(wrong.json()["error"].is_string());
}

#[test]
fn generate_gives_the_cards_and_verdicts_of_generate_json() {
    let server = Server::start(&[]);
    let (_, model) = fixture();
    let reply = post(
        &server.addr,
        "/api/generate",
        &json!({"n": 4, "seed": 11, "temperature": 0.9, "top_k": 12, "cost": "{1}{G}"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let got = reply.json();
    assert_eq!(got["seed"], 11);
    let cli = cardlm(&[
        "generate",
        "--model",
        s(model),
        "-n",
        "4",
        "--seed",
        "11",
        "--temperature",
        "0.9",
        "--top-k",
        "12",
        "--cost",
        "{1}{G}",
        "--format",
        "json",
    ]);
    assert!(cli.status.success());
    let want: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(got["cards"], want, "the same cards, fields and verdicts");
    for (i, c) in got["cards"].as_array().unwrap().iter().enumerate() {
        assert_eq!(c["index"], i);
        // (the tiny model may end a card before its cost field)
        assert!(
            c["cost"] == "{1}{G}" || c["missed_fields"] == json!(["cost"]),
            "{c}"
        );
        assert!(c["novelty"].is_object(), "novelty judged");
    }
    // Without a seed the server picks one and says which.
    let a = post(&server.addr, "/api/generate", &json!({"n": 2})).json();
    let b = post(&server.addr, "/api/generate", &json!({"n": 2})).json();
    assert_ne!(a["seed"], b["seed"]);
    let again = post(
        &server.addr,
        "/api/generate",
        &json!({"n": 2, "seed": a["seed"]}),
    )
    .json();
    assert_eq!(again["cards"], a["cards"]);
}

#[test]
fn the_stream_sends_each_card_as_an_event() {
    let server = Server::start(&[]);
    let body = json!({"n": 5, "seed": 3, "name": "Bob the Builder", "only_valid": true});
    let reply = post(&server.addr, "/api/generate/stream", &body);
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/event-stream"));
    let events = reply.events();
    assert_eq!(events.first().unwrap().0, "start");
    assert_eq!(events[0].1, json!({"seed": 3, "n": 5}));
    assert_eq!(events.last().unwrap().0, "done");
    let mut cards: Vec<Value> = events
        .iter()
        .filter(|(n, _)| n == "card")
        .map(|(_, d)| d.clone())
        .collect();
    assert_eq!(cards.len(), 5);
    // Each event carries the card drawn by html.rs, beside generate's fields.
    for c in cards.iter_mut() {
        let html = c.as_object_mut().unwrap().remove("html").unwrap();
        let html = html.as_str().unwrap();
        assert!(html.starts_with("<div class=\"card\">"), "{html}");
        assert!(html.contains("Bob the Builder"), "{html}");
    }
    cards.sort_by_key(|c| c["index"].as_u64());
    for c in &cards {
        assert_eq!(c["name"], "Bob the Builder");
    }
    let whole = post(&server.addr, "/api/generate", &body).json();
    assert_eq!(Value::Array(cards), whole["cards"]);
}

#[test]
fn bad_requests_get_a_4xx_and_one_json_message() {
    let server = Server::start(&[]);
    let a = &server.addr;
    let cases: Vec<(String, u16, &str)> = vec![
        (r#"{"n": 100}"#.into(), 400, "n must be between 1 and 64"),
        (
            r#"{"max_len": 99999}"#.into(),
            400,
            "max_len must be between 2 and 1024",
        ),
        (
            r#"{"temperature": 7.5}"#.into(),
            400,
            "temperature must be between 0 and 5",
        ),
        (r#"{"top_p": 0}"#.into(), 400, "top-p must be in (0, 1]"),
        (r#"{"top_k": 0}"#.into(), 400, "top-k must be at least 1"),
        (
            r#"{"best_of": 0}"#.into(),
            400,
            "best_of: 0 is outside 1..=256",
        ),
        (
            r#"{"best_of": 257}"#.into(),
            400,
            "best_of: 257 is outside 1..=256",
        ),
        (
            r#"{"best_of": 3, "only_valid": true}"#.into(),
            422,
            "curate already prefers well-formed",
        ),
        (r#"{"color": "red"}"#.into(), 400, "unknown field `color`"),
        (r#"{"n": "five"}"#.into(), 400, "invalid request body"),
        ("{".into(), 400, "invalid request body"),
        (
            format!(r#"{{"name": "{}"}}"#, "a".repeat(100)),
            400,
            "name is 100 characters long",
        ),
        (
            r#"{"pt": "2/2", "type": "instant"}"#.into(),
            422,
            "needs a creature",
        ),
        // A character the tiny model never saw.
        (
            r#"{"name": "Zyx"}"#.into(),
            422,
            "the model has never written these characters",
        ),
        (
            format!(r#"{{"ability": "{}"}}"#, "a".repeat(20_000)),
            413,
            "request body over 16384 bytes",
        ),
    ];
    for path in ["/api/generate", "/api/generate/stream"] {
        for (body, status, message) in &cases {
            let r = request(a, "POST", path, body);
            assert_eq!(r.status, *status, "{path} {body:.60}: {}", r.body);
            let e = r.json();
            let text = e["error"].as_str().unwrap();
            assert!(text.contains(message), "{path} {body:.60}: {text}");
            assert_eq!(e.as_object().unwrap().len(), 1);
        }
    }
    // The server is still fine.
    assert_eq!(request(a, "GET", "/api/health", "").status, 200);
    let d = post(a, "/api/decode", &json!({"line": LINES[3]})).json();
    assert_eq!(d["name"], "Llanowar Elves");
    assert!(d["html"].as_str().unwrap().contains("Llanowar Elves"));
    assert_eq!(d["well_formed"], true);
    assert_eq!(post(a, "/api/decode", &json!({"card": 1})).status, 400);
}

#[test]
fn a_seed_gives_the_same_cards_alone_or_under_load() {
    let server = Server::start(&[]);
    let addr = Arc::new(server.addr.clone());
    let target = json!({"n": 6, "seed": 99, "temperature": 1.0, "max_len": 300});
    let alone = post(&addr, "/api/generate", &target).json()["cards"].clone();
    // The same request among 24 others sent at once.
    let clients = 24;
    let barrier = Arc::new(Barrier::new(clients + 1));
    let handles: Vec<_> = (0..=clients)
        .map(|i| {
            let (addr, barrier) = (addr.clone(), barrier.clone());
            let body = if i == clients / 2 {
                target.clone()
            } else {
                json!({"n": 1 + i % 8, "seed": 1000 + i, "init_state": if i % 3 == 0 { "random" } else { "zeros" }})
            };
            std::thread::spawn(move || {
                barrier.wait();
                let path = if i % 2 == 0 { "/api/generate" } else { "/api/generate/stream" };
                (i, post(&addr, path, &body))
            })
        })
        .collect();
    for h in handles {
        let (i, reply) = h.join().unwrap();
        assert_eq!(reply.status, 200, "client {i}: {}", reply.body);
        if i == clients / 2 {
            assert_eq!(reply.json()["cards"], alone, "seed 99 under load");
        }
    }
}

#[test]
fn a_full_server_answers_429_and_a_missed_deadline_503() {
    let server = Server::start(&["--max-in-flight", "1"]);
    let addr = Arc::new(server.addr.clone());
    let barrier = Arc::new(Barrier::new(6));
    let handles: Vec<_> = (0..6)
        .map(|i| {
            let (addr, barrier) = (addr.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                post(
                    &addr,
                    "/api/generate",
                    &json!({"n": 64, "seed": i, "max_len": 1024, "init_state": "random"}),
                )
            })
        })
        .collect();
    let replies: Vec<Reply> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let busy: Vec<&Reply> = replies.iter().filter(|r| r.status == 429).collect();
    assert!(!busy.is_empty(), "6 requests at once with room for 1");
    assert!(replies.iter().all(|r| r.status == 200 || r.status == 429));
    assert!(busy[0].json()["error"]
        .as_str()
        .unwrap()
        .contains("the server is full"));
    assert_eq!(busy[0].header("retry-after"), Some("1"));
    drop(server);

    let slow = Server::start(&["--deadline", "0.001"]);
    let r = post(
        &slow.addr,
        "/api/generate",
        &json!({"n": 64, "max_len": 1024}),
    );
    assert_eq!(r.status, 503);
    assert!(r.json()["error"].as_str().unwrap().contains("deadline"));
    let s = post(
        &slow.addr,
        "/api/generate/stream",
        &json!({"n": 64, "max_len": 1024}),
    );
    let events = s.events();
    assert_eq!(events.last().unwrap().0, "error");
    assert!(events.last().unwrap().1["error"]
        .as_str()
        .unwrap()
        .contains("deadline"));
    // The late requests' rows are free: the sampler runs nothing. (Its
    // counters are stored one after the other, so a reader may see requests
    // at 0 a moment before rows_busy: wait for all of them.)
    let idle_load = json!({"waiting": 0, "requests": 0, "rows_busy": 0});
    let idle = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let health = loop {
        let h = request(&slow.addr, "GET", "/api/health", "");
        assert_eq!(h.status, 200);
        let h = h.json();
        if h["sampler"] == idle_load || std::time::Instant::now() > idle {
            break h;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(health["sampler"], idle_load, "{health}");
}

#[test]
fn ctrl_c_finishes_the_requests_in_flight_and_exits_cleanly() {
    let server = Server::start(&[]);
    let addr = server.addr.clone();
    let pid = server.child.id();
    // A request in flight when the signal comes.
    let mut stream = TcpStream::connect(&addr).unwrap();
    let body = json!({"n": 64, "seed": 1, "max_len": 1024}).to_string();
    write!(
        stream,
        "POST /api/generate/stream HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut first = [0u8; 64];
    let n = stream.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    assert!(interrupt(pid));
    let mut rest = String::new();
    stream.read_to_string(&mut rest).unwrap();
    assert!(
        rest.contains("event: done") || rest.contains("event: error"),
        "the stream ends with done or error: {:.300}",
        rest
    );
    let (status, err) = server.wait();
    assert!(status.success(), "{err}");
    assert!(err.contains("cardlm serve: stopped"), "{err}");
    // New connections are refused once it is gone.
    assert!(TcpStream::connect(&addr).is_err());
}

#[test]
fn sigterm_after_the_grace_cancels_what_is_left_and_exits_cleanly() {
    let server = Server::start(&["--grace", "0"]);
    let addr = server.addr.clone();
    let pid = server.child.id();
    let mut stream = TcpStream::connect(&addr).unwrap();
    let body = json!({"n": 64, "seed": 1, "max_len": 1024, "best_of": 64}).to_string();
    write!(
        stream,
        "POST /api/generate/stream HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut first = [0u8; 64];
    let n = stream.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    assert!(Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    let mut rest = String::new();
    stream.read_to_string(&mut rest).unwrap();
    // 64 cards of 64 candidates take far longer than no grace at all.
    assert!(
        rest.contains("event: error") && rest.contains("the server is stopping"),
        "cancelled: {:.300}",
        rest
    );
    let (status, err) = server.wait();
    assert!(status.success(), "{err}");
    assert!(err.contains("cardlm serve: stopped"), "{err}");
}

#[test]
fn export_writes_every_generate_format_as_generate_does() {
    let server = Server::start(&[]);
    let (_, model) = fixture();
    let a = &server.addr;
    let got = post(a, "/api/generate", &json!({"n": 3, "seed": 21})).json();
    let cards = got["cards"].clone();
    let dir = tempfile::tempdir().unwrap();
    for (format, media) in [
        ("text", "text/plain"),
        ("json", "application/json"),
        ("jsonl", "application/x-ndjson"),
        ("html", "text/html"),
        ("cockatrice", "application/xml"),
        ("scryfall", "application/json"),
        ("mse", "application/zip"),
        ("png", "image/png"),
        ("svg", "image/svg+xml"),
    ] {
        let reply = request_bytes(
            a,
            &format!("/api/export?format={format}"),
            &json!({"cards": cards, "seed": 21}).to_string(),
        );
        assert_eq!(
            reply.0,
            200,
            "{format}: {}",
            String::from_utf8_lossy(&reply.2)
        );
        let header = |n: &str| {
            reply
                .1
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert!(header("content-type").starts_with(media), "{format}");
        assert!(
            header("content-disposition").starts_with("attachment; filename=\"cardlm-cards-21."),
            "{format}: {}",
            header("content-disposition")
        );
        // The same bytes as `cardlm generate --format F` for the same seed.
        let out = dir.path().join(format!(
            "cards-{format}.{}",
            match format {
                "mse" => "mse-set",
                "png" => "png",
                "svg" => "svg",
                _ => "out",
            }
        ));
        let cli = cardlm(&[
            "generate",
            "--model",
            s(model),
            "-n",
            "3",
            "--seed",
            "21",
            "--format",
            format,
            "--out",
            s(&out),
        ]);
        assert!(
            cli.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&cli.stderr)
        );
        let want = std::fs::read(&out).unwrap();
        assert!(
            reply.2 == want,
            "{format}: the server's file differs from generate's"
        );
        if format == "json" {
            let back: Value = serde_json::from_slice(&reply.2).unwrap();
            assert_eq!(back, cards, "judged again, the same verdicts");
        }
    }
    // A whole /api/generate answer, sent back as it is.
    let r = request_bytes(a, "/api/export?format=scryfall", &got.to_string());
    assert_eq!(r.0, 200, "{}", String::from_utf8_lossy(&r.2));
    assert_eq!(
        serde_json::from_slice::<Value>(&r.2)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Only the lines: judged by the server all the same.
    let lines: Vec<Value> = cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"line": c["line"]}))
        .collect();
    let r = request_bytes(
        a,
        "/api/export?format=json",
        &json!({"cards": lines}).to_string(),
    );
    assert_eq!(r.0, 200);
    let back: Value = serde_json::from_slice(&r.2).unwrap();
    assert_eq!(back[1]["name"], cards[1]["name"]);
    assert_eq!(back[1]["novelty"], cards[1]["novelty"]);
    assert!(r
        .1
        .iter()
        .any(|(k, v)| k == "content-disposition" && v.contains("cardlm-cards.json")));
    // Bad exports: one JSON message, a 4xx.
    for (path, body, status, want) in [
        (
            "/api/export",
            json!({"cards": lines}).to_string(),
            400,
            "give the format",
        ),
        (
            "/api/export?format=pdf",
            json!({"cards": lines}).to_string(),
            400,
            "unknown export format",
        ),
        (
            "/api/export?format=mse",
            json!({"cards": []}).to_string(),
            400,
            "between 1 and 64 cards",
        ),
        (
            "/api/export?format=mse",
            json!({"cards": [{"name": "x"}]}).to_string(),
            400,
            "missing field `line`",
        ),
        (
            "/api/export?format=mse",
            "x".repeat(2 << 20),
            413,
            "request body over 1048576 bytes",
        ),
    ] {
        let r = request(a, "POST", path, &body);
        assert_eq!(r.status, status, "{path}: {}", r.body);
        assert!(
            r.json()["error"].as_str().unwrap().contains(want),
            "{path}: {}",
            r.body
        );
    }
}

/// A POST whose answer may be binary: status, headers, body bytes.
fn request_bytes(addr: &str, path: &str, body: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let (status, headers, body, chunked) = exchange(addr, "POST", path, body);
    assert!(!chunked, "a whole file with its length");
    (status, headers, body)
}

#[test]
fn bench_serve_measures_levels_and_a_soak_with_memory_samples() {
    let (_, model) = fixture();
    let o = cardlm(&[
        "bench",
        "serve",
        "--model",
        s(model),
        "--clients",
        "1,3",
        "--seconds",
        "1",
        "--soak",
        "2.5",
        "--cards",
        "2",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let levels: Value = serde_json::from_slice(&o.stdout).unwrap();
    let levels = levels.as_array().unwrap();
    let clients: Vec<u64> = levels
        .iter()
        .map(|l| l["clients"].as_u64().unwrap())
        .collect();
    assert_eq!(
        clients,
        [1, 3, 3],
        "the levels, then the soak at the highest"
    );
    for l in levels {
        assert_eq!(l["errors"], 0, "{l}");
        assert!(
            l["requests"].as_u64().unwrap() > 0 && l["chars_per_second"].as_f64().unwrap() > 0.0
        );
        assert!(l["p50_ms"].as_f64().unwrap() <= l["p99_ms"].as_f64().unwrap());
    }
    let soak = &levels[2];
    assert!(soak["seconds"].as_f64().unwrap() >= 2.5);
    let samples = soak["rss_samples_mib"].as_array().unwrap();
    assert!(samples.len() >= 2, "once a second: {soak}");
    assert!(samples.iter().all(|m| m.as_f64().unwrap() > 1.0));
    let o = cardlm(&["bench", "serve", "--soak", "-1"]);
    assert!(!o.status.success());
}

#[test]
fn bad_options_are_one_line_errors() {
    let (_, model) = fixture();
    let o = cardlm(&["serve", "--model", "/nonexistent/model"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("/nonexistent/model: no such model directory"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let o = cardlm(&["serve", "--model", s(model), "--deadline", "0"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--deadline must be a positive"));
    let o = cardlm(&["serve", "--model", s(model), "--grace", "-1"]);
    assert!(!o.status.success());
    let o = cardlm(&["serve", "--model", s(model), "--addr", "not-an-address"]);
    assert!(!o.status.success());
}
