//! The server over a slow stand-in generation service: a stop lets the
//! requests in flight finish within the grace period and cancels the rest
//! after it (or at a second signal), and every request carries its deadline
//! to the service, which frees its rows when it passes.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cardlm_app::JudgedCard;
use cardlm_cards::decode::Rules;
use cardlm_cards::field_forcing::ForcingPlan;
use cardlm_server::{serve, CardService, Event, Job, Refusal, ServerOptions, Stop};
use tokio::sync::{mpsc, watch};

/// Sends one card every `every`, stops at the job's deadline (as the
/// library does) or when the receiver is gone; counts the jobs running.
struct Slow {
    every: Duration,
    jobs: Mutex<Vec<(Instant, Job)>>,
    running: Arc<AtomicUsize>,
}

impl CardService for Slow {
    fn info(&self) -> serde_json::Value {
        serde_json::json!({"path": "slow"})
    }

    fn submit(&self, job: Job) -> Result<mpsc::Receiver<Event>, Refusal> {
        self.jobs
            .lock()
            .unwrap()
            .push((Instant::now(), job.clone()));
        let (tx, rx) = mpsc::channel(4);
        let (every, running) = (self.every, self.running.clone());
        running.fetch_add(1, Ordering::SeqCst);
        std::thread::spawn(move || {
            for i in 0..job.count {
                std::thread::sleep(every);
                if job.deadline.is_some_and(|d| Instant::now() >= d) {
                    let _ = tx.blocking_send(Event::Late);
                    break;
                }
                let line = "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ".to_owned();
                let card = JudgedCard::judge(
                    i,
                    1,
                    line,
                    true,
                    &ForcingPlan::default(),
                    None,
                    Rules::default(),
                );
                if tx.blocking_send(Event::Card(Box::new(card))).is_err() {
                    break;
                }
            }
            running.fetch_sub(1, Ordering::SeqCst);
        });
        Ok(rx)
    }
}

struct Running {
    addr: String,
    stop: watch::Sender<Stop>,
    served: tokio::task::JoinHandle<std::io::Result<()>>,
    service: Arc<Slow>,
}

async fn start(every_ms: u64, deadline: Duration, grace: Duration) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let service = Arc::new(Slow {
        every: Duration::from_millis(every_ms),
        jobs: Mutex::default(),
        running: Arc::default(),
    });
    let options = ServerOptions {
        deadline,
        grace,
        ..ServerOptions::default()
    };
    let (stop, watch) = watch::channel(Stop::Running);
    let served = tokio::spawn(serve(listener, service.clone(), options, watch));
    Running {
        addr,
        stop,
        served,
        service,
    }
}

/// A POST on its own connection: the status and the raw body.
fn post(addr: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split(' ').nth(1).unwrap().parse().unwrap();
    (status, raw)
}

fn in_background(
    addr: &str,
    path: &'static str,
    body: &'static str,
) -> std::thread::JoinHandle<(u16, String)> {
    let addr = addr.to_owned();
    std::thread::spawn(move || post(&addr, path, body))
}

/// Waits until the service runs `n` jobs.
async fn until_running(service: &Slow, n: usize) {
    let t = Instant::now();
    while service.running.load(Ordering::SeqCst) != n {
        assert!(t.elapsed() < Duration::from_secs(10), "never {n} running");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_lets_the_requests_in_flight_finish() {
    let r = start(40, Duration::from_secs(30), Duration::from_secs(20)).await;
    let whole = in_background(&r.addr, "/api/generate", r#"{"n": 8}"#);
    let stream = in_background(&r.addr, "/api/generate/stream", r#"{"n": 8}"#);
    until_running(&r.service, 2).await;
    let stopped_at = Instant::now();
    r.stop.send_replace(Stop::Finish);
    let (status, body) = tokio::task::spawn_blocking(move || whole.join().unwrap())
        .await
        .unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body.matches("\"index\"").count(),
        8,
        "every card: {body:.300}"
    );
    let (status, body) = tokio::task::spawn_blocking(move || stream.join().unwrap())
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(body.matches("event: card").count(), 8, "{body:.300}");
    assert!(body.contains("event: done"));
    tokio::time::timeout(Duration::from_secs(10), r.served)
        .await
        .expect("serve returns once the answers are sent")
        .unwrap()
        .unwrap();
    assert!(stopped_at.elapsed() < Duration::from_secs(10));
    // No new connections once it has returned.
    assert!(TcpStream::connect(&r.addr).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_grace_the_requests_in_flight_are_cancelled() {
    let r = start(40, Duration::from_secs(60), Duration::from_millis(300)).await;
    let whole = in_background(&r.addr, "/api/generate", r#"{"n": 64}"#);
    let stream = in_background(&r.addr, "/api/generate/stream", r#"{"n": 64}"#);
    until_running(&r.service, 2).await;
    let stopped_at = Instant::now();
    r.stop.send_replace(Stop::Finish);
    let (status, body) = tokio::task::spawn_blocking(move || whole.join().unwrap())
        .await
        .unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(
        body.contains("the request was cancelled: the server is stopping"),
        "{body}"
    );
    let (status, body) = tokio::task::spawn_blocking(move || stream.join().unwrap())
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("event: error"), "{body:.400}");
    assert!(body.contains("the server is stopping"), "{body:.400}");
    assert!(!body.contains("event: done"));
    let waited = stopped_at.elapsed();
    assert!(
        waited >= Duration::from_millis(250),
        "the grace was given: {waited:?}"
    );
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    tokio::time::timeout(Duration::from_secs(10), r.served)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    // The service's jobs saw their receivers go: nothing runs any more.
    until_running(&r.service, 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_cancels_at_once() {
    let r = start(40, Duration::from_secs(60), Duration::from_secs(60)).await;
    let whole = in_background(&r.addr, "/api/generate", r#"{"n": 64}"#);
    until_running(&r.service, 1).await;
    r.stop.send_replace(Stop::Finish);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t = Instant::now();
    r.stop.send_replace(Stop::Cancel);
    let (status, body) = tokio::task::spawn_blocking(move || whole.join().unwrap())
        .await
        .unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(t.elapsed() < Duration::from_secs(5));
    tokio::time::timeout(Duration::from_secs(10), r.served)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_goes_to_the_service_which_stops_the_job() {
    let deadline = Duration::from_millis(300);
    let r = start(40, deadline, Duration::from_secs(1)).await;
    let addr = r.addr.clone();
    let (status, body) =
        tokio::task::spawn_blocking(move || post(&addr, "/api/generate/stream", r#"{"n": 64}"#))
            .await
            .unwrap();
    assert_eq!(status, 200);
    assert!(
        body.contains("event: error") && body.contains("deadline"),
        "{body:.400}"
    );
    {
        let jobs = r.service.jobs.lock().unwrap();
        let (submitted, job) = &jobs[0];
        let d = job.deadline.expect("the job carries its deadline");
        assert!(
            d > *submitted && d <= *submitted + deadline,
            "{:?}",
            d - *submitted
        );
        assert!(d + Duration::from_millis(100) >= *submitted + deadline);
    }
    // The service stopped the job by itself (no card past the deadline).
    until_running(&r.service, 0).await;
    r.stop.send_replace(Stop::Finish);
    tokio::time::timeout(Duration::from_secs(10), r.served)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}
