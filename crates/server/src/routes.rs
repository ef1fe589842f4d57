//! The HTTP routes: request checking, admission (a bounded number of
//! requests in flight), deadlines, JSON and server-sent-event answers.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};

use cardlm_app::export::{self, Format};
use cardlm_app::JudgedCard;

use crate::api::{
    export_format, parse_request, ApiError, ExportJob, ExportRequest, Job, MAX_BODY_BYTES,
    MAX_EXPORT_BODY_BYTES,
};
use crate::assets;
use crate::service::{CardService, Event, Refusal};
use crate::ServerOptions;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    service: Arc<dyn CardService>,
    options: Arc<ServerOptions>,
    /// One permit per request in flight.
    admission: Arc<Semaphore>,
    stopping: Arc<AtomicBool>,
    /// Set when the requests in flight are to be cancelled (the grace after
    /// a stop has passed, or a second stop signal).
    cancel: Arc<watch::Sender<bool>>,
    seeds: Arc<AtomicU64>,
    /// The model's path, for the titles of exported sets.
    model_name: Arc<str>,
}

impl AppState {
    pub fn new(service: Arc<dyn CardService>, options: ServerOptions) -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let model_name: Arc<str> = service.info()["path"]
            .as_str()
            .unwrap_or("the model")
            .into();
        AppState {
            service,
            admission: Arc::new(Semaphore::new(options.max_in_flight.max(1))),
            options: Arc::new(options),
            stopping: Arc::new(AtomicBool::new(false)),
            cancel: Arc::new(watch::Sender::new(false)),
            seeds: Arc::new(AtomicU64::new(now)),
            model_name,
        }
    }

    /// After Ctrl-C: new requests get 503.
    pub fn begin_stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    /// Cancels every request in flight: each answers 503 (a stream ends with
    /// an `error` event) and its rows are freed.
    pub fn cancel_all(&self) {
        self.cancel.send_replace(true);
    }

    /// Completes when the requests in flight are to be cancelled.
    fn cancelled(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.cancel.subscribe();
        async move {
            let _ = rx.wait_for(|c| *c).await;
        }
    }

    /// Requests admitted and not yet answered.
    pub fn in_flight(&self) -> usize {
        self.options.max_in_flight.max(1) - self.admission.available_permits()
    }

    /// A seed for a request without one: different for every request.
    fn fresh_seed(&self) -> u64 {
        // splitmix64 of a counter started at the clock.
        let mut z = self
            .seeds
            .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed)
            .wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        // JavaScript reads numbers as doubles: keep seeds exact there.
        (z ^ (z >> 31)) & ((1 << 53) - 1)
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/index.html", get(page))
        .route("/assets/app.js", get(script))
        .route("/assets/app.css", get(style))
        .route("/assets/cards.css", get(card_style))
        .route("/api/health", get(health))
        .route("/api/model", get(model))
        .route("/api/generate", post(generate))
        .route("/api/generate/stream", post(generate_stream))
        .route("/api/decode", post(decode))
        .route("/api/export", post(export_cards))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn page() -> Response {
    asset("text/html; charset=utf-8", assets::INDEX_HTML)
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", assets::APP_JS)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", assets::APP_CSS)
}

async fn card_style() -> Response {
    asset("text/css; charset=utf-8", cardlm_cards::html::STYLE)
}

async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        message: "no such page or API route (see GET /api/model, POST /api/generate)".into(),
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: "method not allowed here (generation routes take POST, the others GET)".into(),
    }
}

async fn health(State(state): State<AppState>) -> Response {
    if state.stopping.load(Ordering::SeqCst) {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "stopping"})),
        )
            .into_response()
    } else {
        Json(json!({
            "status": "ok",
            "in_flight": state.in_flight(),
            "sampler": state.service.load(),
        }))
        .into_response()
    }
}

async fn model(State(state): State<AppState>) -> Response {
    let mut info = state.service.info();
    let o = &state.options;
    if let Some(map) = info.as_object_mut() {
        map.insert(
            "limits".into(),
            json!({
                "max_cards": o.limits.max_cards,
                "max_len": o.limits.max_len,
                "max_name": o.limits.max_name,
                "max_text": o.limits.max_text,
                "max_temperature": o.limits.max_temperature,
                "max_body_bytes": MAX_BODY_BYTES,
                "max_in_flight": o.max_in_flight,
                "deadline_s": o.deadline.as_secs_f64(),
                "max_export_body_bytes": MAX_EXPORT_BODY_BYTES,
                "max_best_of": cardlm_app::service::MAX_CANDIDATES,
            }),
        );
        let exports: Vec<_> = Format::ALL
            .iter()
            .map(|f| {
                json!({
                    "name": f.name(),
                    "label": f.label(),
                    "route": format!("/api/export?format={}", f.name()),
                    "extension": f.extension(),
                    "media_type": f.media_type(),
                })
            })
            .collect();
        map.insert("exports".into(), json!(exports));
    }
    Json(info).into_response()
}

fn too_busy(message: String) -> ApiError {
    ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        message,
    }
}

fn unavailable(message: impl Into<String>) -> ApiError {
    ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message: message.into(),
    }
}

async fn read_body(body: Body) -> Result<axum::body::Bytes, ApiError> {
    read_body_up_to(body, MAX_BODY_BYTES).await
}

async fn read_body_up_to(body: Body, max: usize) -> Result<axum::body::Bytes, ApiError> {
    to_bytes(body, max).await.map_err(|_| ApiError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!("request body over {max} bytes"),
    })
}

/// Why a request in flight was cancelled after a stop.
const STOPPED_MESSAGE: &str = "the request was cancelled: the server is stopping";

/// A running job: its cards' channel and the permit it holds until done.
struct Admitted {
    job: Job,
    cards: mpsc::Receiver<Event>,
    _permit: OwnedSemaphorePermit,
    deadline: Instant,
}

/// Reads, checks and queues a request.
async fn admit(state: &AppState, body: Body) -> Result<Admitted, ApiError> {
    if state.stopping.load(Ordering::SeqCst) {
        return Err(unavailable("the server is stopping"));
    }
    let bytes = read_body(body).await?;
    let mut job = parse_request(&bytes)?.validate(&state.options.limits, state.fresh_seed())?;
    let permit = take_permit(state)?;
    // The library frees the request's rows when its deadline passes, whether
    // or not the connection is still there.
    let deadline = Instant::now() + state.options.deadline;
    job.deadline = Some(deadline);
    let cards = state.service.submit(job.clone()).map_err(|r| match r {
        Refusal::Invalid(m) => ApiError::unprocessable(m),
        Refusal::Busy(m) => too_busy(m),
        Refusal::Stopping => unavailable("the server is stopping"),
    })?;
    Ok(Admitted {
        job,
        cards,
        _permit: permit,
        deadline,
    })
}

fn take_permit(state: &AppState) -> Result<OwnedSemaphorePermit, ApiError> {
    state.admission.clone().try_acquire_owned().map_err(|_| {
        too_busy(format!(
            "the server is full ({} requests in flight); try again shortly",
            state.options.max_in_flight
        ))
    })
}

fn deadline_message(deadline: Duration) -> String {
    format!(
        "the cards were not done within the server's deadline of {} s (the server is busy); ask for fewer cards or try again",
        deadline.as_secs_f64()
    )
}

fn with_retry_after(mut response: Response, status: StatusCode) -> Response {
    if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

fn error_response(e: ApiError) -> Response {
    let status = e.status;
    with_retry_after(e.into_response(), status)
}

async fn generate(State(state): State<AppState>, body: Body) -> Response {
    let mut run = match admit(&state, body).await {
        Ok(run) => run,
        Err(e) => return error_response(e),
    };
    let mut cards = Vec::with_capacity(run.job.count);
    let started = Instant::now();
    /// How collecting the cards ended.
    enum End {
        All,
        Late,
        Failed(String),
        Cancelled,
    }
    let collect = async {
        while let Some(event) = run.cards.recv().await {
            match event {
                Event::Card(c) => cards.push(c),
                Event::Late => return End::Late,
                Event::Failed(m) => return End::Failed(m),
            }
        }
        End::All
    };
    let deadline = tokio::time::Instant::from_std(run.deadline);
    let end = tokio::select! {
        end = tokio::time::timeout_at(deadline, collect) => end.unwrap_or(End::Late),
        _ = state.cancelled() => End::Cancelled,
    };
    match end {
        End::Late => error_response(unavailable(deadline_message(state.options.deadline))),
        End::Failed(m) => error_response(ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: m,
        }),
        End::Cancelled => error_response(unavailable(STOPPED_MESSAGE)),
        End::All if cards.len() < run.job.count => error_response(unavailable(STOPPED_MESSAGE)),
        End::All => {
            cards.sort_by_key(|c| c.index);
            Json(json!({
                "seed": run.job.seed,
                "n": run.job.count,
                "elapsed_ms": started.elapsed().as_millis() as u64,
                "cards": cards,
            }))
            .into_response()
        }
    }
}

/// Where a stream is.
enum Phase {
    Start,
    Cards,
    Done,
}

async fn generate_stream(State(state): State<AppState>, body: Body) -> Response {
    let run = match admit(&state, body).await {
        Ok(run) => run,
        Err(e) => return error_response(e),
    };
    let deadline = state.options.deadline;
    let started = Instant::now();
    let cancel_state = state.clone();
    let events = stream::unfold(
        (run, Phase::Start, 0usize),
        move |(mut run, phase, sent)| {
            let cancelled = cancel_state.clone();
            async move {
                let event = match phase {
                    Phase::Done => return None,
                    Phase::Start => {
                        let data = json!({"seed": run.job.seed, "n": run.job.count});
                        return Some((sse("start", &data), (run, Phase::Cards, sent)));
                    }
                    Phase::Cards => {
                        let at = tokio::time::Instant::from_std(run.deadline);
                        tokio::select! {
                            e = tokio::time::timeout_at(at, run.cards.recv()) => e,
                            // Cancelled after a stop: as if the service had closed.
                            _ = cancelled.cancelled() => Ok(None),
                        }
                    }
                };
                let (ev, phase, sent) = match event {
                    Ok(Some(Event::Card(card))) => {
                        (sse("card", &card_event(&card)), Phase::Cards, sent + 1)
                    }
                    Ok(Some(Event::Failed(m))) => {
                        (sse("error", &json!({"error": m})), Phase::Done, sent)
                    }
                    Ok(Some(Event::Late)) => (
                        sse("error", &json!({"error": deadline_message(deadline)})),
                        Phase::Done,
                        sent,
                    ),
                    Ok(None) if sent < run.job.count => (
                        sse("error", &json!({"error": STOPPED_MESSAGE})),
                        Phase::Done,
                        sent,
                    ),
                    Ok(None) => (
                        sse(
                            "done",
                            &json!({"cards": sent, "elapsed_ms": started.elapsed().as_millis() as u64}),
                        ),
                        Phase::Done,
                        sent,
                    ),
                    // Dropping `run` with the stream cancels the rest.
                    Err(_) => (
                        sse("error", &json!({"error": deadline_message(deadline)})),
                        Phase::Done,
                        sent,
                    ),
                };
                Some((ev, (run, phase, sent)))
            }
        },
    );
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A card as a stream event: its fields and verdicts as `/api/generate`
/// gives them, plus `html`, the card drawn by the cards crate's html.rs
/// (the page shows it as it is, so that cards are drawn in one place).
fn card_event(card: &JudgedCard) -> serde_json::Value {
    let mut value = serde_json::to_value(card).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "html".into(),
            cardlm_cards::html::card_markup(&card.card).into(),
        );
    }
    value
}

fn sse(name: &str, data: &serde_json::Value) -> Result<SseEvent, std::convert::Infallible> {
    Ok(SseEvent::default().event(name).data(data.to_string()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecodeRequest {
    line: String,
}

async fn decode(body: Body) -> Response {
    let run = async {
        let bytes = read_body(body).await?;
        let req: DecodeRequest = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::bad_request(format!("invalid request body: {e}")))?;
        if req.line.chars().count() > 4096 {
            return Err(ApiError::bad_request("line is over 4096 characters long"));
        }
        Ok(cardlm_cards::decode::decode(req.line.trim()))
    };
    match run.await {
        Ok(card) => {
            let mut value = serde_json::to_value(&card).unwrap_or_default();
            if let Some(map) = value.as_object_mut() {
                map.insert("html".into(), cardlm_cards::html::card_markup(&card).into());
            }
            Json(value).into_response()
        }
        Err(e) => error_response(e),
    }
}

/// `POST /api/export?format=NAME`: the cards in one of `generate`'s formats,
/// as a file to save (written by cardlm-app's exporter, as `generate` writes
/// it; images are one sheet).
async fn export_cards(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
    let run = async {
        if state.stopping.load(Ordering::SeqCst) {
            return Err(unavailable("the server is stopping"));
        }
        let format = export_format(query.as_deref())?;
        let bytes = read_body_up_to(body, MAX_EXPORT_BODY_BYTES).await?;
        let job = ExportRequest::parse(&bytes)?.validate(format, &state.options.limits)?;
        let _permit = take_permit(&state)?;
        let service = state.service.clone();
        let model = state.model_name.clone();
        // Judging and drawing take CPU time: off the async workers.
        tokio::task::spawn_blocking(move || write_export(service.as_ref(), &model, job))
            .await
            .map_err(|e| ApiError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: format!("the export failed: {e}"),
            })?
    };
    match run.await {
        Ok((format, file, bytes)) => {
            let disposition = format!("attachment; filename=\"{file}\"");
            let mut response =
                ([(header::CONTENT_TYPE, format.media_type())], bytes).into_response();
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
        Err(e) => error_response(e),
    }
}

/// Judges the cards of an export again (the verdicts written are the
/// server's) and writes the file; returns its format, name and bytes.
fn write_export(
    service: &dyn CardService,
    model: &str,
    job: ExportJob,
) -> Result<(Format, String, Vec<u8>), ApiError> {
    let forced = cardlm_cards::field_forcing::FORCED_FIELDS;
    let cards: Vec<JudgedCard> = job
        .cards
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let mut card = service.judge(c.index.unwrap_or(i), c.line);
            card.tries = c.tries.unwrap_or(1);
            card.candidates = c.candidates.unwrap_or(1);
            card.mean_log_prob = c.mean_log_prob.unwrap_or(card.mean_log_prob);
            if let Some(ended) = c.ended {
                card.ended = ended;
            }
            // Checked against the known names by validate.
            card.missed_fields = c
                .missed_fields
                .iter()
                .filter_map(|m| forced.iter().find(|f| **f == m.as_str()).copied())
                .collect();
            card
        })
        .collect();
    let seed = job.seed.map(|s| format!(" (seed {s})")).unwrap_or_default();
    let title = job
        .title
        .unwrap_or_else(|| format!("cardlm: {} cards from {model}{seed}", cards.len()));
    let stem = match job.seed {
        Some(s) => format!("cardlm-cards-{s}"),
        None => "cardlm-cards".to_owned(),
    };
    let file = format!("{stem}.{}", job.format.extension());
    let bytes = export::export(job.format, &title, &cards).map_err(|e| ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        message: e.to_string(),
    })?;
    Ok((job.format, file, bytes))
}
