//! `cardlm serve`: the card workshop page and the HTTP API over one loaded
//! model (the server itself is the `cardlm-server` crate).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use cardlm_app::model::{corpus_judges, load_model, resolve_model};
use cardlm_app::{CardModel, GenerationService, ServiceOptions};
use cardlm_server::{model_info, LibraryService, Limits, ServerOptions, Stop};

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
    let judges = match corpus_judges(&loaded, args.corpus.as_deref()) {
        Ok(judges) => Some(judges),
        Err(e) if args.corpus.is_some() => anyhow::bail!("--corpus: {e}"),
        Err(e) => {
            eprintln!("cardlm: novelty, strict and phrasing verdicts not judged: {e}");
            None
        }
    };
    let info = model_info(&loaded, &dir, judges.is_some());
    let model = CardModel::new(loaded, None)?.with_judges(judges);
    let generation = GenerationService::start(
        model,
        ServiceOptions {
            rows: args.rows.max(1),
            queue: args.queue,
            window: cardlm_app::service::DEFAULT_ROWS,
        },
    );
    let service = Arc::new(LibraryService::new(generation, info));
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
