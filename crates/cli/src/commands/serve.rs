//! `cardlm serve`: the card workshop page and the HTTP API over one loaded
//! model (the server itself is the `cardlm-server` crate).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use cardlm_app::model::{corpus_judges, load_model, resolve_model};
use cardlm_app::{CardModel, CardRequest, Error, GenerationService, JudgedCard, ServiceOptions};
use cardlm_lm::run::LoadedRun;
use cardlm_server::{CardService, Event, Job, Limits, Refusal, ServerOptions, Stop};
use serde_json::json;
use tokio::sync::mpsc;

#[derive(clap::Args)]
pub struct Args {
    /// Run directory of a trained model [default: models/default].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The training corpus, for the novelty verdicts [default: the model's
    /// novelty index, else the corpus its config.json records].
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Most requests in flight (sampled or queued), all clients together;
    /// more are answered 429.
    #[arg(long, default_value_t = 256)]
    pub max_in_flight: usize,
    /// Most requests waiting for a sampler row; more are answered 429.
    #[arg(long, default_value_t = 128)]
    pub queue: usize,
    /// Seconds a request may take before it is cancelled (503) and its
    /// sampler rows freed.
    #[arg(long, default_value_t = 60.0)]
    pub deadline: f64,
    /// Seconds the requests in flight may take to finish after Ctrl-C
    /// (SIGINT) or SIGTERM; then they are cancelled. A second signal cancels
    /// them at once.
    #[arg(long, default_value_t = 10.0)]
    pub grace: f64,
    /// Most cards in one request.
    #[arg(long, default_value_t = 64)]
    pub max_cards: usize,
    /// Sampler rows: cards sampled together, all requests together.
    #[arg(long, default_value_t = cardlm_app::service::DEFAULT_ROWS)]
    pub rows: usize,
}

/// The HTTP layer's view of the library's generation service (one sampler
/// loop, continuous batching over every client's cards).
struct Service {
    info: serde_json::Value,
    service: Arc<GenerationService>,
    stopping: AtomicBool,
}

impl CardService for Service {
    fn info(&self) -> serde_json::Value {
        self.info.clone()
    }

    fn submit(&self, job: Job) -> Result<mpsc::Receiver<Event>, Refusal> {
        if self.stopping.load(Ordering::SeqCst) {
            return Err(Refusal::Stopping);
        }
        let mut request = CardRequest::new(job.n, job.seed);
        request.sampling = job.sampling;
        request.max_len = job.max_len;
        request.init = job.init;
        request.force = job.force;
        request.only_valid = job.only_valid;
        request.candidates = job.candidates;
        request.novel_only = job.novel_only && self.service.model().novelty.is_some();
        request.deadline = job.deadline;
        let stream = self.service.try_submit(request).map_err(|e| match e {
            Error::QueueFull(_) => Refusal::Busy(format!("{e}; try again shortly")),
            Error::Stopped => Refusal::Stopping,
            // Messages name the CLI options (`--cost`): the API's fields without dashes.
            e => Refusal::Invalid(e.to_string().replace("--", "")),
        })?;
        let (tx, rx) = mpsc::channel(job.n.max(1));
        // Cards come from a blocking iterator: a thread forwards them; when
        // the client is gone the send fails and the dropped stream cancels
        // the request's rows.
        std::thread::spawn(move || {
            for card in stream {
                let event = match card {
                    Ok(c) => Event::Card(Box::new(c)),
                    Err(Error::DeadlinePassed { .. }) => Event::Late,
                    Err(e) => Event::Failed(e.to_string()),
                };
                if tx.blocking_send(event).is_err() {
                    break;
                }
            }
        });
        Ok(rx)
    }

    fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    fn judge(&self, index: usize, line: String) -> JudgedCard {
        self.service.model().judge_line(index, line)
    }

    fn load(&self) -> serde_json::Value {
        serde_json::to_value(self.service.load()).unwrap_or_default()
    }
}

/// Ctrl-C (SIGINT) and, on Unix, SIGTERM (what `kill` and service managers send).
struct StopSignals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn new() -> Result<Self> {
        Ok(StopSignals {
            #[cfg(unix)]
            term: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .context("cannot listen for SIGTERM")?,
        })
    }

    /// The next signal.
    async fn next(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = self.term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The summary of `eval.json` beside the model, when there is one.
fn eval_summary(dir: &Path) -> serde_json::Value {
    let Ok(text) = std::fs::read_to_string(dir.join("eval.json")) else {
        return serde_json::Value::Null;
    };
    let Ok(eval) = serde_json::from_str::<serde_json::Value>(&text) else {
        return serde_json::Value::Null;
    };
    let at_one = eval["samples"]
        .as_array()
        .and_then(|s| s.iter().find(|x| x["temperature"].as_f64() == Some(1.0)));
    json!({
        "valid_loss_nats": eval["valid_loss_nats"],
        "bits_per_char": eval["valid_bits_per_char"],
        "valid_accuracy": eval["valid_accuracy"],
        "well_formed_at_1": at_one.map(|s| s["well_formed_rate"].clone()),
        "exact_copy_at_1": at_one.map(|s| s["exact_copy_rate"].clone()),
        "near_copy_at_1": at_one.map(|s| s["near_copy_rate"].clone()),
    })
}

fn model_info(run: &LoadedRun, dir: &Path, novelty: bool) -> serde_json::Value {
    json!({
        "path": dir.display().to_string(),
        "model": run.config.model,
        "parameters": run.model.params.len(),
        "vocab_size": run.vocab.len(),
        "training": run.config.training,
        "corpus": run.config.corpus,
        "eval": eval_summary(dir),
        "novelty": novelty,
    })
}

pub fn run(args: Args) -> Result<()> {
    if !(args.deadline.is_finite() && args.deadline > 0.0) {
        anyhow::bail!("--deadline must be a positive number of seconds");
    }
    if !(args.grace.is_finite() && args.grace >= 0.0) {
        anyhow::bail!("--grace must be a number of seconds, 0 or more");
    }
    if args.max_cards == 0 || args.max_in_flight == 0 || args.queue == 0 {
        anyhow::bail!("--max-cards, --max-in-flight and --queue must be at least 1");
    }
    let dir = resolve_model(args.model.clone())?;
    let loaded = load_model(&dir)?;
    let (novelty, lexicon) = match corpus_judges(&loaded, args.corpus.as_deref()) {
        Ok((ix, lex)) => (Some(ix), Some(lex)),
        Err(e) if args.corpus.is_some() => anyhow::bail!("--corpus: {e}"),
        Err(e) => {
            eprintln!("cardlm: novelty and strict verdicts not judged: {e}");
            (None, None)
        }
    };
    let info = model_info(&loaded, &dir, novelty.is_some());
    let model = CardModel::new(loaded, novelty)
        .map_err(|e| anyhow!(e))?
        .with_lexicon(lexicon);
    let generation = GenerationService::start(
        model,
        ServiceOptions {
            rows: args.rows.max(1),
            queue: args.queue,
            window: cardlm_app::service::DEFAULT_ROWS,
        },
    );
    let service = Arc::new(Service {
        info,
        service: Arc::new(generation),
        stopping: AtomicBool::new(false),
    });
    let options = ServerOptions {
        limits: Limits {
            max_cards: args.max_cards,
            ..Limits::default()
        },
        max_in_flight: args.max_in_flight,
        deadline: Duration::from_secs_f64(args.deadline),
        grace: Duration::from_secs_f64(args.grace),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| anyhow!("cannot listen on {}: {e}", args.addr))?;
        let addr = listener.local_addr()?;
        println!(
            "cardlm serve: the card workshop is at http://{addr}/ (model {}; Ctrl-C stops)",
            dir.display()
        );
        use std::io::Write;
        std::io::stdout().flush()?;
        let (stop, watch) = tokio::sync::watch::channel(Stop::Running);
        let grace = args.grace;
        let mut signals = StopSignals::new()?;
        tokio::spawn(async move {
            signals.next().await;
            eprintln!(
                "cardlm serve: stopping: finishing the requests in flight (at most {grace} s; Ctrl-C again cancels them)"
            );
            stop.send_replace(Stop::Finish);
            signals.next().await;
            eprintln!("cardlm serve: cancelling the requests in flight");
            stop.send_replace(Stop::Cancel);
        });
        cardlm_server::serve(listener, service, options, watch)
            .await
            .map_err(|e| anyhow!("the server failed: {e}"))
    })?;
    eprintln!("cardlm serve: stopped");
    Ok(())
}
