//! `cardlm serve`: the HTTP API and the card workshop page over one
//! generation service.
//!
//! | route | what |
//! |---|---|
//! | `GET /` | the workshop page (HTML, CSS and JS embedded in the binary) |
//! | `GET /api/health` | `{"status": "ok"}` (`"stopping"` with 503 after Ctrl-C) |
//! | `GET /api/model` | the model's configuration, evaluation summary and the server's limits |
//! | `POST /api/generate` | a [`api::GenerateRequest`] in, `{"seed", "cards": [...]}` out |
//! | `POST /api/generate/stream` | the same request; server-sent events, one `card` per card as it is sampled |
//! | `POST /api/decode` | `{"line": "Ⓢ…Ⓔ"}` in, the decoded card out (the page draws nearest real cards with it) |
//! | `POST /api/export?format=NAME` | `{"cards": [...]}` in (as `/api/generate` gave them), a file out in any `generate --format` |
//!
//! Every request is checked ([`api::Limits`], unknown fields refused): a
//! client error is a 4xx status and `{"error": "one message"}`. A server
//! that is full answers 429, a request that misses its deadline 503, both
//! with the same body.
//!
//! Stopping ([`Stop`]): on the first signal the server takes no new
//! requests and lets those in flight finish for up to
//! [`ServerOptions::grace`]; then, or on a second signal, it cancels the rest
//! (503, or an `error` event on a stream) and returns once every answer is
//! sent.

pub mod api;
pub mod assets;
pub mod library;
pub mod routes;
pub mod service;

use std::sync::Arc;
use std::time::Duration;

pub use api::{ApiError, ExportRequest, GenerateRequest, Job, Limits};
pub use library::{model_info, LibraryService};
pub use service::{CardService, Event, Refusal};

/// How the server treats its clients.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    pub limits: Limits,
    /// Requests sampled or waiting at once, all clients together; more get 429.
    pub max_in_flight: usize,
    /// A request not done by then is cancelled (503; a stream gets an `error` event).
    pub deadline: Duration,
    /// After a stop signal, how long the requests in flight may take to
    /// finish before they are cancelled.
    pub grace: Duration,
}

/// Where a server is in its life ([`serve`] watches it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stop {
    /// Serving.
    Running,
    /// No new requests; the ones in flight get the grace period (first Ctrl-C).
    Finish,
    /// Cancel the requests in flight now (second Ctrl-C).
    Cancel,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            limits: Limits::default(),
            max_in_flight: 256,
            deadline: Duration::from_secs(60),
            grace: Duration::from_secs(10),
        }
    }
}

/// Serves the API and the page on `listener` until `stop` says
/// [`Stop::Finish`]; then stops taking requests, lets the ones in flight
/// finish for up to `options.grace` (or until `stop` says [`Stop::Cancel`]),
/// cancels the rest, and returns when every connection is closed.
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<dyn CardService>,
    options: ServerOptions,
    mut stop: tokio::sync::watch::Receiver<Stop>,
) -> std::io::Result<()> {
    let grace = options.grace;
    let state = routes::AppState::new(service.clone(), options);
    let app = routes::router(state.clone());
    let on_stop = async move {
        let _ = stop.wait_for(|s| *s >= Stop::Finish).await;
        state.begin_stop();
        service.stop();
        // The requests in flight finish, unless told otherwise.
        tokio::spawn(async move {
            let _ = tokio::time::timeout(grace, stop.wait_for(|s| *s >= Stop::Cancel)).await;
            state.cancel_all();
        });
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(on_stop)
        .await
}
