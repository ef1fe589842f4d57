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
//!
//! Every request is checked ([`api::Limits`], unknown fields refused): a
//! client error is a 4xx status and `{"error": "one message"}`. A server
//! that is full answers 429, a request that misses its deadline 503, both
//! with the same body.

pub mod api;
pub mod assets;
pub mod library;
pub mod routes;
pub mod service;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

pub use api::{ApiError, GenerateRequest, Job, Limits};
pub use library::{model_info, LibraryService};
pub use service::{CardJson, CardService, Event, Refusal};

/// How the server treats its clients.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    pub limits: Limits,
    /// Requests sampled or waiting at once, all clients together; more get 429.
    pub max_in_flight: usize,
    /// A request not done by then is cancelled (503; a stream gets an `error` event).
    pub deadline: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            limits: Limits::default(),
            max_in_flight: 256,
            deadline: Duration::from_secs(60),
        }
    }
}

/// Serves the API and the page on `listener` until `shutdown` completes;
/// then stops taking requests, lets the ones in flight finish (each is
/// bounded by the deadline) and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<dyn CardService>,
    options: ServerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = routes::AppState::new(service.clone(), options);
    let app = routes::router(state.clone());
    let on_stop = async move {
        shutdown.await;
        state.begin_stop();
        service.stop();
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(on_stop)
        .await
}
