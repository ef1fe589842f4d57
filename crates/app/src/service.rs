//! The generation service: a model loaded once, one sampler loop, requests
//! from any number of threads, cards streamed back as they finish.
//!
//! # API (for the CLI, the HTTP server and the curated sampler)
//!
//! ```text
//! let model = CardModel::new(load_model(dir)?, novelty_index)?;   // once
//! let service = GenerationService::start(model, ServiceOptions::default());
//! // from any thread (the service is Send + Sync; share it in an Arc):
//! let mut request = CardRequest::new(count, seed);                 // every `generate` option
//! request.sampling.temperature = 0.8;  request.force.rarity = Some("mythic".into());
//! let stream = service.submit(request)?;       // or try_submit: Error::QueueFull at once
//! for card in stream { let card: JudgedCard = card?; /* print it, send an SSE event */ }
//! ```
//!
//! - **Requests** ([`CardRequest`]) carry the count, seed, temperature, top-k,
//!   top-p, maximum length, initial state, every forced field
//!   ([`ForceOptions`]), `only_valid` / `novel_only` redraws and an optional
//!   deadline. They are checked when submitted (bad options, characters the
//!   model cannot write): an error there is the request's, one line.
//! - **Streaming**: a [`CardStream`] yields each card ([`JudgedCard`], the
//!   fields and verdicts of `generate --format json`) as soon as it and every
//!   card before it are done, in index order; it ends after the last card,
//!   or with one `Err` (deadline passed, service stopped). A request holds at
//!   most `window` cards not yet read, so memory does not grow with `count`
//!   and a slow reader only slows its own request.
//! - **Continuous batching**: one thread owns the [`Sampler`] and runs every
//!   request's cards through its rows together; a finished card frees its
//!   row for the next pending card, of whichever request is next in turn
//!   (round robin). At most `queue` requests wait to start; `submit` then
//!   blocks and `try_submit` answers [`Error::QueueFull`].
//! - **Cancellation**: dropping the stream (or [`CardStream::cancel`], or
//!   the [`CancelToken`] from another thread) frees the request's rows at
//!   the next step; a passed deadline does the same and ends the stream with
//!   [`Error::DeadlinePassed`].
//! - **Determinism**: card `i`, draw `t` of a request with seed `s` samples
//!   from its own random stream `(s, i, t)`, and the sampler's rows do not
//!   influence each other (its products are row-independent, see
//!   `cardlm_lm::sample::inference`): a seed gives the same cards whether the
//!   request runs alone or beside others, whatever the count.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TryRecvError, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cardlm_cards::field_forcing::{ForceOptions, Forcing, ForcingPlan};
use cardlm_cards::markers::{ALL_FIELD_MARKERS, END, FACE, NAME_FIELD, RARITY};
use cardlm_cards::type_line_guide::TypeLineState;
use cardlm_cards::FieldOrder;
use cardlm_lm::sample::{
    Batch, GenerateOptions, Generated, InitState, Request, SampleOptions, Sampler,
};
use cardlm_lm::Rng;

use crate::card::JudgedCard;
use crate::error::{Error, Result};
use crate::model::CardModel;
use crate::steer::{check_vocabulary, CardSteer};
use cardlm_cards::judge::rates::{body, Body};
use cardlm_cards::judge::{best, best_in_drawn_band, clean_in_drawn_band};

/// How many times `only_valid` / `novel_only` draw a card again.
pub const MAX_TRIES: usize = 20;
/// Rounds of candidates a curated card may draw: when none of a round's
/// candidates is clean ([`cardlm_cards::judge::CandidateScore::is_clean`]),
/// as many again, up to this many rounds in all.
pub const CURATION_ROUNDS: usize = 3;

/// Most candidates a curated card is picked from (64 until session 21).
pub const MAX_CANDIDATES: usize = 256;
/// Candidates per card when a front end is not told (docs/quality.md measures
/// the choice). 48 since session 21: with the realness judge ranking them,
/// the default picks that 48 changed against 16, read blind on seeds
/// 2401-2440 (118 of 200 differ), went from 12 plausible, 75 borderline and
/// 31 nonsense to 33, 75 and 10; five cards take about 1.8 s against 1.3 s
/// on two Zen 5 cores. The price is a plainer mix: 21% of the picks vanilla
/// creatures and 62% with 20 characters of rules text or fewer, against 16%
/// and 50% at 16 (1.5% and 8.3% of real cards); `keep_length` keeps the
/// model's own lengths instead (docs/quality.md, "Session 21").
/// 16 from session 14 to 20: with the colour fit ranking candidates,
/// the picks that 16 changed against 8, read blind on seeds 721-760 (64 of
/// 200 differ), went from 16 plausible, 31 borderline and 17 nonsense to 24,
/// 31 and 9; 100 cards take about 50% longer (13.7 s against 21.0 s on 2
/// Zen 3 cores), the default five about 0.4 s longer (docs/quality.md,
/// "Session 14", "What it costs"). Session 10 had found no
/// gain from 16 while the last key was the model's likelihood.
pub const DEFAULT_CANDIDATES: usize = 48;
/// Top-p when a front end is not told: the sampler never draws the rare
/// characters that make up the last tenth of the probability. Read blind,
/// that gives as many plausible cards as plain sampling (docs/quality.md,
/// "Top-p": 40 of 160 against 39); it gives the curator fewer broken
/// candidates, and picks in better-known phrasing.
pub const DEFAULT_TOP_P: f64 = 0.9;
/// The rarity a curated vanilla creature is printed at whatever rarity the
/// model drew (unless the rarity is fixed): of the training cards' 311
/// vanilla creatures 36 are uncommon and 4 rare, and of the
/// vanilla picks rated blind in sessions 19 to 21, 45% of the 139 commons
/// read plausible against 4% of the 84 uncommons. Flagging them instead
/// (`RARE_VANILLA_SHARE`) made the curator take the next candidate, as often
/// nonsense as plausible; printing them common keeps the card
/// (docs/quality.md, "Session 21").
pub const VANILLA_RARITY: char = 'C';
/// Rows of the sampler: most cards sampled together.
pub const DEFAULT_ROWS: usize = 64;

/// How the service runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceOptions {
    /// Rows of the sampler (cards sampled together, over all requests).
    pub rows: usize,
    /// Requests that may wait for their turn before `submit` blocks.
    pub queue: usize,
    /// Cards of one request sampled or buffered ahead of its reader.
    pub window: usize,
}

impl Default for ServiceOptions {
    fn default() -> Self {
        ServiceOptions {
            rows: DEFAULT_ROWS,
            queue: 64,
            window: DEFAULT_ROWS,
        }
    }
}

/// Everything `cardlm generate` can ask for.
#[derive(Clone, Debug, PartialEq)]
pub struct CardRequest {
    /// Number of cards.
    pub count: usize,
    /// The same seed and options give the same cards, whatever the count.
    pub seed: u64,
    pub sampling: SampleOptions,
    /// Longest card in characters, start symbol included; at least 2.
    pub max_len: usize,
    pub init: InitState,
    /// Fields fixed by the user.
    pub force: ForceOptions,
    /// Draw a card again (up to [`MAX_TRIES`] times) until it is well-formed
    /// and has every forced field.
    pub only_valid: bool,
    /// Draw a card again until it is no copy of a training card (needs the
    /// model's novelty index).
    pub novel_only: bool,
    /// Stop the request when this passes.
    pub deadline: Option<Instant>,
    /// Curated sampling: draw this many candidates for each card and keep
    /// the best (see [`cardlm_cards::judge::curate`]), drawing as many again
    /// when none of them is clean; 1 draws each card once.
    pub candidates: usize,
    /// Curate within the band of rules-text length of the first well-formed
    /// candidate ([`cardlm_cards::judge::curate::best_in_drawn_band`]), so
    /// that the picks run as long as the model's cards do; otherwise the best
    /// of any length, which favours short cards the more candidates are
    /// drawn (docs/quality.md, "Session 21").
    pub keep_length: bool,
    /// Guide type lines by the model's lexicon (see
    /// [`cardlm_cards::type_line_guide`]): no invented type words. No effect
    /// when the model was loaded without a lexicon.
    pub guide_types: bool,
}

impl CardRequest {
    /// `count` cards from `seed` with `generate`'s defaults: temperature 1,
    /// no top-k/top-p, 512 characters at most, zero initial state, nothing
    /// forced, type lines guided.
    pub fn new(count: usize, seed: u64) -> Self {
        CardRequest {
            count,
            seed,
            sampling: SampleOptions::default(),
            max_len: 512,
            init: InitState::Zeros,
            force: ForceOptions::default(),
            only_valid: false,
            novel_only: false,
            deadline: None,
            candidates: 1,
            keep_length: false,
            guide_types: true,
        }
    }

    /// Checks the options that need no model (sampling, length, forced
    /// fields) and returns the forcing plan.
    pub fn check(&self) -> Result<ForcingPlan> {
        self.sampling.validate()?;
        if self.max_len < 2 {
            return Err(Error::BadRequest("--max-len must be at least 2".into()));
        }
        if !(1..=MAX_CANDIDATES).contains(&self.candidates) {
            return Err(Error::BadRequest(format!(
                "--curate takes 1 to {MAX_CANDIDATES} candidates a card"
            )));
        }
        if self.candidates > 1 && (self.only_valid || self.novel_only) {
            return Err(Error::BadRequest(
                "--curate already prefers well-formed, new cards: give it without --only-valid or --novel-only".into(),
            ));
        }
        ForcingPlan::new(&self.force).map_err(Error::BadRequest)
    }
}

/// How busy the service is, for a server's health report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Load {
    /// Requests queued, not yet taken by the sampler loop.
    pub waiting: usize,
    /// Requests in the sampler loop (sampling, or waiting for a free row or
    /// for their reader).
    pub requests: usize,
    /// Sampler rows holding a card.
    pub rows_busy: usize,
}

/// What the sampler loop publishes of its state.
#[derive(Debug, Default)]
struct LoadCounters {
    waiting: AtomicUsize,
    requests: AtomicUsize,
    rows_busy: AtomicUsize,
}

/// Stops a request from any thread.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The cards of one request, in index order, as they finish.
pub struct CardStream {
    cards: Receiver<JudgedCard>,
    end: Arc<Mutex<Option<Error>>>,
    cancel: CancelToken,
    count: usize,
    finished: bool,
}

impl CardStream {
    /// Cards asked for.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Stops the request: its rows are freed at the next step, the stream ends.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// A handle that cancels this request from elsewhere (a server's
    /// disconnect handler).
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }
}

impl Iterator for CardStream {
    type Item = Result<JudgedCard>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        match self.cards.recv() {
            Ok(card) => Some(Ok(card)),
            Err(_) => {
                // The service dropped the sender: done, or ended early.
                self.finished = true;
                let end = self.end.lock().unwrap_or_else(|e| e.into_inner()).take();
                end.map(Err)
            }
        }
    }
}

impl Drop for CardStream {
    fn drop(&mut self) {
        // Nobody reads the rest: free the rows now.
        self.cancel.cancel();
    }
}

/// A running generation service; see the module documentation.
pub struct GenerationService {
    jobs: Option<SyncSender<Job>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    model: Arc<CardModel>,
    options: ServiceOptions,
    next_id: AtomicU64,
    load: Arc<LoadCounters>,
}

impl GenerationService {
    /// Starts the sampler loop on its own thread.
    pub fn start(model: CardModel, options: ServiceOptions) -> Self {
        let options = ServiceOptions {
            rows: options.rows.max(1),
            queue: options.queue.max(1),
            window: options.window.max(1),
        };
        let model = Arc::new(model);
        let (tx, rx) = mpsc::sync_channel(options.queue);
        let stop = Arc::new(AtomicBool::new(false));
        let load = Arc::new(LoadCounters::default());
        let thread = {
            let model = Arc::clone(&model);
            let stop = Arc::clone(&stop);
            let load = Arc::clone(&load);
            std::thread::Builder::new()
                .name("cardlm-sampler".into())
                .spawn(move || sampler_loop(&model, options, rx, &stop, &load))
                .expect("spawn the sampler thread")
        };
        GenerationService {
            jobs: Some(tx),
            stop,
            thread: Some(thread),
            model,
            options,
            next_id: AtomicU64::new(0),
            load,
        }
    }

    /// Requests waiting and running, and the rows in use, now.
    pub fn load(&self) -> Load {
        Load {
            waiting: self.load.waiting.load(Ordering::Relaxed),
            requests: self.load.requests.load(Ordering::Relaxed),
            rows_busy: self.load.rows_busy.load(Ordering::Relaxed),
        }
    }

    /// The model the service generates from.
    pub fn model(&self) -> &CardModel {
        &self.model
    }

    pub fn options(&self) -> ServiceOptions {
        self.options
    }

    /// Checks `request` and queues it, waiting while the queue is full.
    pub fn submit(&self, request: CardRequest) -> Result<CardStream> {
        let (job, stream) = self.prepare(request)?;
        let sender = self.jobs.as_ref().ok_or(Error::Stopped)?;
        self.load.waiting.fetch_add(1, Ordering::Relaxed);
        sender.send(job).map_err(|_| {
            self.load.waiting.fetch_sub(1, Ordering::Relaxed);
            Error::Stopped
        })?;
        Ok(stream)
    }

    /// Checks `request` and queues it; [`Error::QueueFull`] when it would wait.
    pub fn try_submit(&self, request: CardRequest) -> Result<CardStream> {
        let (job, stream) = self.prepare(request)?;
        let sender = self.jobs.as_ref().ok_or(Error::Stopped)?;
        self.load.waiting.fetch_add(1, Ordering::Relaxed);
        let refused = match sender.try_send(job) {
            Ok(()) => return Ok(stream),
            Err(TrySendError::Full(_)) => Error::QueueFull(self.options.queue),
            Err(TrySendError::Disconnected(_)) => Error::Stopped,
        };
        self.load.waiting.fetch_sub(1, Ordering::Relaxed);
        Err(refused)
    }

    /// Submits `request` and collects every card (for reports and tests).
    pub fn generate_all(&self, request: CardRequest) -> Result<Vec<JudgedCard>> {
        self.submit(request)?.collect()
    }

    fn prepare(&self, request: CardRequest) -> Result<(Job, CardStream)> {
        let plan = request.check()?;
        check_vocabulary(&plan, &self.model.run.vocab)?;
        if !plan.is_empty() && self.model.order != FieldOrder::Printed {
            return Err(Error::BadRequest(format!(
                "fixed fields (--name, --cost, --type, ...) need a model that writes the printed field order; {} writes its cards {} (docs/encoding.md)",
                self.model.dir.display(),
                self.model.order
            )));
        }
        if request.novel_only && self.model.novelty.is_none() {
            return Err(Error::NovelOnlyWithoutIndex(
                "the model was loaded without them".into(),
            ));
        }
        let (tx, rx) = mpsc::sync_channel(self.options.window);
        let end = Arc::new(Mutex::new(None));
        let cancel = CancelToken::default();
        let job = Job {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            forcing: !plan.is_empty(),
            plan: Arc::new(plan),
            options: GenerateOptions {
                sampling: request.sampling,
                max_len: request.max_len,
                stop: Some(self.model.end),
                init: request.init,
            },
            seed: request.seed,
            count: request.count,
            only_valid: request.only_valid,
            novel_only: request.novel_only,
            candidates: request.candidates,
            keep_length: request.keep_length,
            guide_types: request.guide_types,
            piles: BTreeMap::new(),
            deadline: request.deadline,
            cancel: cancel.clone(),
            cards: tx,
            end: Arc::clone(&end),
            next_new: 0,
            redraw: VecDeque::new(),
            next_out: 0,
            done: BTreeMap::new(),
            reader_gone: false,
        };
        let stream = CardStream {
            cards: rx,
            end,
            cancel,
            count: request.count,
            finished: false,
        };
        Ok((job, stream))
    }
}

impl Drop for GenerationService {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A request inside the sampler loop.
struct Job {
    id: u64,
    plan: Arc<ForcingPlan>,
    /// Whether anything is forced.
    forcing: bool,
    options: GenerateOptions,
    seed: u64,
    count: usize,
    only_valid: bool,
    novel_only: bool,
    /// Candidates per card (1: not curated).
    candidates: usize,
    /// Curate within the first well-formed candidate's band of text length.
    keep_length: bool,
    guide_types: bool,
    /// The candidates drawn so far of the cards being curated.
    piles: BTreeMap<usize, Vec<JudgedCard>>,
    deadline: Option<Instant>,
    cancel: CancelToken,
    cards: SyncSender<JudgedCard>,
    end: Arc<Mutex<Option<Error>>>,
    /// The next card never drawn yet.
    next_new: usize,
    /// Cards to draw again: (index, draw).
    redraw: VecDeque<(usize, usize)>,
    /// The next card the reader gets.
    next_out: usize,
    /// Finished cards waiting for the ones before them or for the reader.
    done: BTreeMap<usize, JudgedCard>,
    reader_gone: bool,
}

impl Job {
    /// Whether a free row can take a card of this job now.
    fn wants_row(&self, window: usize) -> bool {
        !self.redraw.is_empty()
            || (self.next_new < self.count && self.next_new - self.next_out < window)
    }

    /// Hands the reader every card it can take, in order.
    fn deliver(&mut self) {
        while let Some(card) = self.done.remove(&self.next_out) {
            match self.cards.try_send(card) {
                Ok(()) => self.next_out += 1,
                Err(TrySendError::Full(card)) => {
                    self.done.insert(self.next_out, card);
                    break;
                }
                Err(TrySendError::Disconnected(_)) => {
                    self.reader_gone = true;
                    break;
                }
            }
        }
    }

    fn finish_with(&self, error: Error) {
        *self.end.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
    }
}

/// A row's card: which job, which card, which draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    job: u64,
    index: usize,
    draw: usize,
}

/// The random stream of card `index`, draw `draw` of a request with `seed`.
fn card_stream(seed: u64, index: usize, draw: usize) -> Rng {
    if draw == 0 {
        Rng::for_stream(seed, &[index as u64])
    } else {
        Rng::for_stream(seed, &[index as u64, draw as u64])
    }
}

fn sampler_loop(
    model: &CardModel,
    options: ServiceOptions,
    incoming: Receiver<Job>,
    stop: &AtomicBool,
    load: &LoadCounters,
) {
    let vocab = &model.run.vocab;
    let mut sampler = Sampler::new(&model.run.model, options.rows);
    let mut batch: Batch<Key, CardSteer> = Batch::new();
    let mut jobs: Vec<Job> = Vec::new();
    // Round robin: the job whose turn it is to get the next free row.
    let mut turn = 0usize;
    let mut open = true;
    loop {
        if stop.load(Ordering::Relaxed) {
            for job in &jobs {
                job.finish_with(Error::Stopped);
            }
            load.requests.store(0, Ordering::Relaxed);
            load.rows_busy.store(0, Ordering::Relaxed);
            return;
        }
        // Take new requests; more jobs than rows could not run anyway, so the
        // rest wait in the bounded queue.
        let busy = !batch.is_empty() || jobs.iter().any(|j| j.wants_row(options.window));
        if !busy && open {
            let next = if jobs.is_empty() {
                incoming.recv().map_err(|_| RecvTimeoutError::Disconnected)
            } else {
                // Waiting for readers to make room.
                incoming.recv_timeout(Duration::from_millis(2))
            };
            match next {
                Ok(job) => {
                    load.waiting.fetch_sub(1, Ordering::Relaxed);
                    jobs.push(job)
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
        }
        while open && jobs.len() < options.rows {
            match incoming.try_recv() {
                Ok(job) => {
                    load.waiting.fetch_sub(1, Ordering::Relaxed);
                    jobs.push(job)
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => open = false,
            }
        }
        if !open && jobs.is_empty() {
            load.requests.store(0, Ordering::Relaxed);
            return;
        }

        // Deliver, and drop the jobs that are done, cancelled or late.
        let now = Instant::now();
        let mut dropped = Vec::new();
        jobs.retain_mut(|job| {
            job.deliver();
            let over = job.next_out == job.count || job.reader_gone || job.cancel.is_cancelled();
            let keep = if over {
                false
            } else if job.deadline.is_some_and(|d| now >= d) {
                job.finish_with(Error::DeadlinePassed {
                    delivered: job.next_out,
                    requested: job.count,
                });
                false
            } else {
                true
            };
            if !keep {
                dropped.push(job.id);
            }
            keep
        });
        if !dropped.is_empty() {
            batch.retain(&mut sampler, |k| !dropped.contains(&k.job));
        }

        // Fill free rows, one card per job in turn.
        while batch.len() < sampler.capacity() && !jobs.is_empty() {
            let Some(offset) =
                (0..jobs.len()).find(|&o| jobs[(turn + o) % jobs.len()].wants_row(options.window))
            else {
                break;
            };
            let j = (turn + offset) % jobs.len();
            turn = j + 1;
            let job = &mut jobs[j];
            let (index, draw) = match job.redraw.pop_front() {
                Some(x) => x,
                None => {
                    job.next_new += 1;
                    // A curated card's other candidates go next, so that
                    // cards finish in order.
                    for draw in 1..job.candidates {
                        job.redraw.push_back((job.next_new - 1, draw));
                    }
                    (job.next_new - 1, 0)
                }
            };
            let key = Key {
                job: job.id,
                index,
                draw,
            };
            let request = Request {
                start: model.start,
                rng: card_stream(job.seed, index, draw),
                steer: CardSteer {
                    forcing: job.forcing.then(|| Forcing::new(Arc::clone(&job.plan))),
                    guide: model
                        .type_guide
                        .as_ref()
                        .filter(|_| job.guide_types)
                        .map(|g| TypeLineState::new(Arc::clone(g))),
                    vocab,
                },
            };
            if let Some((key, generated)) = batch.admit(&mut sampler, key, request, job.options) {
                card_finished(model, job, key, generated);
            }
        }
        load.requests.store(jobs.len(), Ordering::Relaxed);
        load.rows_busy.store(batch.len(), Ordering::Relaxed);
        if batch.is_empty() {
            continue;
        }
        for (key, generated) in batch.step(&mut sampler) {
            if let Some(job) = jobs.iter_mut().find(|j| j.id == key.job) {
                card_finished(model, job, key, generated);
            }
        }
    }
}

/// The summed log-probability of the characters the model chose outside the
/// card's names (in the model's own field order: a name runs from `Ⓢ` or `⒝`
/// to the next marker in the printed order, from `⒩` in the text-first one).
fn log_prob_beyond_names(model: &CardModel, generated: &Generated) -> f64 {
    let mut in_name = model.order == FieldOrder::Printed;
    let mut sum = 0.0;
    for (&token, &log_prob) in generated.tokens[1..].iter().zip(&generated.token_log_probs) {
        let c = model.run.vocab.char(token);
        if c.is_some_and(|c| c == END || c == NAME_FIELD || ALL_FIELD_MARKERS.contains(&c)) {
            in_name = match c {
                Some(FACE) => model.order == FieldOrder::Printed,
                Some(NAME_FIELD) => true,
                _ => false,
            };
        } else if in_name {
            continue;
        }
        if let Some(log_prob) = log_prob {
            sum += log_prob as f64;
        }
    }
    sum
}

/// `card` printed at [`VANILLA_RARITY`] when it is a well-formed vanilla
/// creature (the rate table's [`Body::Vanilla`], the kind its rare vanilla
/// check counts) the model drew at uncommon, rare or mythic and the request
/// does not fix its rarity; re-judged, with the model's likelihoods of the
/// card it drew. Any other card as it is.
fn vanilla_as_common(model: &CardModel, plan: &ForcingPlan, card: JudgedCard) -> JudgedCard {
    let c = &card.card;
    let vanilla = c.well_formed && matches!(body(c), Some((Body::Vanilla, ..)));
    if !vanilla || plan.rarity.is_some() || !matches!(c.rarity_letter.as_str(), "U" | "R" | "M") {
        return card;
    }
    let Some((before, after)) = card.line.split_once(RARITY) else {
        return card;
    };
    let mut rest = after.chars();
    rest.next();
    let line = format!("{before}{RARITY}{VANILLA_RARITY}{}", rest.as_str());
    let mut printed = model.with_corpus_verdicts(JudgedCard::judge(
        card.index,
        card.tries,
        line,
        card.ended,
        plan,
        model.novelty.as_ref(),
        model.rules,
    ));
    printed.mean_log_prob = card.mean_log_prob;
    printed.log_prob_beyond_names = card.log_prob_beyond_names;
    printed.drawn_rarity = Some(card.card.rare.clone());
    printed
}

/// Judges a finished card; keeps it, or queues another draw.
fn card_finished(model: &CardModel, job: &mut Job, key: Key, generated: Generated) {
    let line = model
        .order
        .to_printed(&model.run.vocab.decode(&generated.tokens));
    let mut card = model.with_corpus_verdicts(JudgedCard::judge(
        key.index,
        key.draw + 1,
        line,
        generated.stopped,
        &job.plan,
        model.novelty.as_ref(),
        model.rules,
    ));
    card.mean_log_prob = generated.mean_log_prob();
    card.log_prob_beyond_names = log_prob_beyond_names(model, &generated);
    if job.candidates > 1 {
        let card = vanilla_as_common(model, &job.plan, card);
        let pile = job.piles.entry(key.index).or_default();
        pile.push(card);
        // A round is over when its last candidate is in (the next round is
        // drawn only then). None clean yet: another round, up to
        // CURATION_ROUNDS in all (docs/quality.md: a second round left 1% of
        // curated cards with a flaw instead of 4%).
        if pile.len().is_multiple_of(job.candidates) {
            let drawn = pile.len();
            // The pile in draw order: the first of equals, and the band kept
            // to with `keep_length` (the first well-formed candidate's), are
            // the same whatever the batch.
            pile.sort_by_key(|c| c.tries);
            let scores: Vec<_> = pile.iter().map(JudgedCard::score).collect();
            let clean = if job.keep_length {
                clean_in_drawn_band(&scores)
            } else {
                scores.iter().any(|s| s.is_clean())
            };
            if drawn / job.candidates < CURATION_ROUNDS && !clean {
                for draw in drawn..drawn + job.candidates {
                    job.redraw.push_back((key.index, draw));
                }
                return;
            }
            let mut pile = job.piles.remove(&key.index).unwrap_or_default();
            let chosen = if job.keep_length {
                best_in_drawn_band(&scores)
            } else {
                best(&scores)
            }
            .unwrap_or(0);
            let mut card = pile.swap_remove(chosen);
            card.candidates = drawn;
            job.done.insert(key.index, card);
        }
        return;
    }
    let ok = (!job.only_valid || card.is_valid()) && (!job.novel_only || card.is_novel());
    if !ok && key.draw + 1 < MAX_TRIES {
        job.redraw.push_back((key.index, key.draw + 1));
    } else {
        job.done.insert(key.index, card);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardlm_lm::run::{LoadedRun, RunConfig, TrainOptions, RUN_FORMAT};
    use cardlm_lm::{Model, ModelConfig, RecurrentActivation, Vocab};

    /// A random model over a card vocabulary: its cards are gibberish, but
    /// every path of the service runs.
    fn model(novelty: bool) -> CardModel {
        model_over("ⒺⓈ⒞⒭⒯⒫⒜abcdefghilmnorstu :/123ⓌⓊⓇⒼCURM", novelty)
    }

    fn model_over(vocabulary: &str, novelty: bool) -> CardModel {
        let chars: Vec<char> = vocabulary.chars().collect();
        let config = ModelConfig {
            vocab_size: chars.len(),
            hidden: 16,
            layers: 2,
            dropout: 0.0,
            tied: true,
            recurrent_activation: RecurrentActivation::Sigmoid,
        };
        let mut m = Model::<f32>::new(config.clone(), 3);
        let mut rng = Rng::new(5);
        for x in m.params.iter_mut() {
            *x += (rng.uniform_f32() - 0.5) * 0.5;
        }
        let run = LoadedRun {
            dir: "test-model".into(),
            config: RunConfig {
                format: RUN_FORMAT.into(),
                model: config,
                vocab: chars.iter().map(|c| c.to_string()).collect(),
                training: TrainOptions::default(),
                corpus: None,
                origin: None,
                epochs_trained: None,
            },
            vocab: Vocab::new(chars).unwrap(),
            model: m,
        };
        let index = novelty.then(|| {
            cardlm_cards::novelty::NoveltyIndex::new(&[
                "Ⓢbolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage.Ⓔ".into()
            ])
        });
        CardModel::new(run, index).unwrap()
    }

    fn request(count: usize, seed: u64) -> CardRequest {
        let mut r = CardRequest::new(count, seed);
        r.max_len = 30;
        r
    }

    fn options(rows: usize, queue: usize, window: usize) -> ServiceOptions {
        ServiceOptions {
            rows,
            queue,
            window,
        }
    }

    #[test]
    fn the_curator_s_likelihood_leaves_names_and_forced_characters_out() {
        // The name's characters (at `name`, counted in characters) are
        // unlikely, the others likely, and the forced Ⓡ has no probability.
        let generated = |model: &CardModel, line: &str, name: std::ops::Range<usize>| Generated {
            tokens: model.run.vocab.encode(line).unwrap(),
            stopped: true,
            steps: 0,
            sampled: 0,
            log_prob: 0.0,
            token_log_probs: line
                .chars()
                .enumerate()
                .skip(1)
                .map(|(i, c)| match c {
                    'Ⓡ' => None,
                    _ if name.contains(&i) => Some(-10.0),
                    _ => Some(-1.0),
                })
                .collect(),
        };
        let printed = model(false);
        let line = "Ⓢab⒞Ⓡ⒭C⒯instant⒜cdⒺ";
        // ⒞, ⒭, C, ⒯, instant (7), ⒜, c, d, Ⓔ: 15 characters at -1; Ⓡ was forced.
        assert_eq!(
            log_prob_beyond_names(&printed, &generated(&printed, line, 1..3)),
            -15.0
        );
        let text_first = model_over("ⒺⓈ⒞⒭⒯⒫⒜⒩abcdefghilmnorstu :/123ⓌⓊⓇⒼCURM", false);
        let line = "Ⓢ⒭C⒯instant⒜cd⒞Ⓡ⒩abⒺ";
        // The same characters, ⒩ among them, and the name after it left out.
        assert_eq!(
            log_prob_beyond_names(&text_first, &generated(&text_first, line, 17..19)),
            -16.0
        );
    }

    #[test]
    fn a_text_first_model_s_cards_come_in_the_printed_order_and_fields_are_not_forced() {
        let text_first = model_over("ⒺⓈ⒞⒭⒯⒫⒜⒩abcdefghilmnorstu :/123ⓌⓊⓇⒼCURM", false);
        assert_eq!(text_first.order, FieldOrder::TextFirst);
        // The same network read as a printed-order model gives the lines as sampled.
        let mut as_sampled = model_over("ⒺⓈ⒞⒭⒯⒫⒜⒩abcdefghilmnorstu :/123ⓌⓊⓇⒼCURM", false);
        as_sampled.order = FieldOrder::Printed;
        let mut r = request(40, 9);
        r.max_len = 60;
        let printed = GenerationService::start(text_first, options(4, 4, 4));
        let cards = printed.generate_all(r.clone()).unwrap();
        let raw = GenerationService::start(as_sampled, options(4, 4, 4))
            .generate_all(r.clone())
            .unwrap();
        let mut moved = 0;
        for (card, raw) in cards.iter().zip(&raw) {
            assert_eq!(card.line, FieldOrder::TextFirst.to_printed(&raw.line));
            moved += usize::from(card.line != raw.line);
        }
        assert!(moved > 20, "{moved} of 40 lines reordered");
        let mut forced = r;
        forced.force.rarity = Some("rare".into());
        let err = printed.generate_all(forced).unwrap_err().to_string();
        assert!(err.contains("printed field order"), "{err}");
    }

    #[test]
    fn a_seed_gives_the_same_cards_alone_and_under_load() {
        let mut steered = request(12, 7);
        steered.force.rarity = Some("rare".into());
        steered.sampling.top_k = Some(5);
        let alone = GenerationService::start(model(true), options(1, 4, 1))
            .generate_all(steered.clone())
            .unwrap();
        assert_eq!(alone.len(), 12);
        assert!(alone.iter().enumerate().all(|(i, c)| c.index == i));
        assert!(alone.iter().all(|c| c.line.starts_with("Ⓢ")));

        let service = Arc::new(GenerationService::start(model(true), options(8, 16, 3)));
        let loaders: Vec<_> = (0..4u64)
            .map(|k| {
                let service = Arc::clone(&service);
                std::thread::spawn(move || {
                    let mut r = request(10 + k as usize, 100 + k);
                    r.sampling.temperature = 0.5 + k as f64;
                    r.init = if k % 2 == 0 {
                        InitState::Random
                    } else {
                        InitState::Zeros
                    };
                    service.generate_all(r).unwrap()
                })
            })
            .collect();
        let loaded = service.generate_all(steered.clone()).unwrap();
        let other: Vec<Vec<JudgedCard>> = loaders.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(loaded, alone, "the same cards beside three other requests");
        assert!(other
            .iter()
            .enumerate()
            .all(|(k, cards)| cards.len() == 10 + k));
        // A larger count starts with the same cards.
        let more = service.generate_all(request(20, 7)).unwrap();
        let fewer = service.generate_all(request(5, 7)).unwrap();
        assert_eq!(&more[..5], &fewer[..]);
    }

    #[test]
    fn a_curated_vanilla_creature_is_printed_common_unless_its_rarity_is_fixed() {
        let m = model(false);
        let plan = ForcingPlan::default();
        let drawn = |line: &str| {
            let mut card = m.judge_line(0, line.to_owned());
            card.log_prob_beyond_names = -7.5;
            card
        };
        let bear = drawn("Ⓢbig bear⒞①Ⓖ⒭U⒯creature:bear⒫2/2⒜Ⓔ");
        assert_eq!(bear.card.rare, "uncommon");
        let printed = vanilla_as_common(&m, &plan, bear);
        assert_eq!(printed.line, "Ⓢbig bear⒞①Ⓖ⒭C⒯creature:bear⒫2/2⒜Ⓔ");
        assert_eq!(printed.card.rare, "common");
        assert_eq!(printed.drawn_rarity.as_deref(), Some("uncommon"));
        assert_eq!(
            printed.log_prob_beyond_names, -7.5,
            "the drawn card's likelihood"
        );
        assert!(printed.verdict_lines().contains(
            &"printed common: drawn uncommon, but real vanilla creatures are nearly all common"
                .to_owned()
        ));
        let json = serde_json::to_value(&printed).unwrap();
        assert_eq!(json["drawn_rarity"], "uncommon");
        // A mythic too; not a common, a creature with rules text, a
        // noncreature, a broken card, or a rarity the request fixed.
        let mythic = vanilla_as_common(&m, &plan, drawn("Ⓢold wurm⒞⑥Ⓖ⒭M⒯creature:wurm⒫6/6⒜Ⓔ"));
        assert_eq!(mythic.card.rare, "common");
        for line in [
            "Ⓢbig bear⒞①Ⓖ⒭C⒯creature:bear⒫2/2⒜Ⓔ",
            "Ⓢbig bird⒞①Ⓦ⒭U⒯creature:bird⒫1/1⒜flyingⒺ",
            "Ⓢbig rock⒞①⒭U⒯artifact⒜Ⓔ",
            "Ⓢbig bear⒞①Ⓖ⒭U⒯creature:bear⒜Ⓔ",
        ] {
            let card = drawn(line);
            let kept = vanilla_as_common(&m, &plan, card.clone());
            assert_eq!(kept, card, "{line}");
            assert_eq!(kept.drawn_rarity, None);
        }
        let fixed = ForcingPlan::new(&ForceOptions {
            rarity: Some("uncommon".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        let card = drawn("Ⓢbig bear⒞①Ⓖ⒭U⒯creature:bear⒫2/2⒜Ⓔ");
        assert_eq!(vanilla_as_common(&m, &fixed, card.clone()), card);
        let json = serde_json::to_value(&card).unwrap();
        assert!(
            json.get("drawn_rarity").is_none(),
            "absent when not printed otherwise"
        );
    }

    #[test]
    fn curated_cards_are_the_best_of_their_candidates_and_deterministic() {
        let lexicon = cardlm_cards::judge::Lexicon::from_lines(&[
            "Ⓢbolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage.Ⓔ".into(),
        ]);
        let book = || {
            Some(cardlm_cards::judge::Phrasebook::from_lines(&[
                "Ⓢbolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage.Ⓔ".into(),
            ]))
        };
        let judged = || {
            model(true)
                .with_lexicon(Some(lexicon.clone()))
                .with_phrasebook(book())
        };
        let mut r = request(6, 3);
        r.candidates = 4;
        let curated = GenerationService::start(judged(), options(8, 4, 8))
            .generate_all(r.clone())
            .unwrap();
        let alone = GenerationService::start(judged(), options(1, 4, 1))
            .generate_all(r)
            .unwrap();
        assert_eq!(curated, alone, "the same picks in any batch");
        // Draw 0 of each card is the uncurated card: the pick is at least as good.
        let raw = GenerationService::start(judged(), options(8, 4, 8))
            .generate_all(request(6, 3))
            .unwrap();
        for (c, first) in curated.iter().zip(&raw) {
            // Four, or another four for each round none of whose was clean.
            assert!(
                c.candidates % 4 == 0 && c.candidates <= 4 * CURATION_ROUNDS,
                "{c:?}"
            );
            assert!((1..=c.candidates).contains(&c.tries));
            if c.candidates == 4 {
                assert!(c.score().is_clean(), "{c:?}");
            }
            assert!(c.strict.is_some(), "judged strictly");
            assert!(c.phrasing.is_some(), "phrasing scored");
            assert_ne!(
                c.score().compare(&first.score()),
                std::cmp::Ordering::Less,
                "{c:?} worse than {first:?}"
            );
            if c.tries == 1 {
                assert_eq!(c.line, first.line);
            }
            let said = format!("the best of {} candidates", c.candidates);
            assert!(c.verdict_lines().contains(&said));
        }
        // Curation and redraws do not mix; 0 candidates is refused.
        let mut both = request(2, 1);
        both.candidates = 2;
        both.only_valid = true;
        assert!(both.check().is_err());
        let mut none = request(2, 1);
        none.candidates = 0;
        assert!(none.check().is_err());
    }

    /// The type field of a line: its words before and after `:`, when the
    /// field was finished by a marker.
    fn type_field(line: &str) -> Option<(String, String)> {
        let rest = line.split_once('⒯')?.1;
        let end = rest.find(|c: char| "⒫⒜Ⓔ".contains(c))?;
        let field = &rest[..end];
        let (types, subs) = field.split_once(':').unwrap_or((field, ""));
        Some((types.to_owned(), subs.to_owned()))
    }

    #[test]
    fn guided_type_lines_use_only_the_lexicon_s_words() {
        let lexicon = cardlm_cards::judge::Lexicon::from_lines(&[
            "Ⓢbolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage.Ⓔ".to_owned(),
            "Ⓢsoldier⒞Ⓦ⒭C⒯creature:human⒫1/1⒜Ⓔ".to_owned(),
            "Ⓢcurse⒞Ⓑ⒭C⒯enchantment:aura⒜enchant creature⒜tapⒺ".to_owned(),
        ]);
        let service =
            GenerationService::start(model(false).with_lexicon(Some(lexicon)), options(16, 4, 16));
        let mut guided = request(60, 3);
        guided.max_len = 80;
        let mut free = guided.clone();
        free.guide_types = false;
        let real = |(types, subs): &(String, String)| {
            ["instant", "creature", "enchantment"].contains(&types.as_str())
                && (subs.is_empty()
                    || (types == "creature" && subs == "human")
                    || (types == "enchantment" && subs == "aura"))
        };
        let fields: Vec<_> = service
            .generate_all(guided)
            .unwrap()
            .iter()
            .filter_map(|c| type_field(&c.line))
            .collect();
        assert!(fields.len() >= 5, "{fields:?}");
        assert!(fields.iter().all(real), "{fields:?}");
        // The random model left alone invents type words: the test can fail.
        let free_fields: Vec<_> = service
            .generate_all(free)
            .unwrap()
            .iter()
            .filter_map(|c| type_field(&c.line))
            .collect();
        assert!(!free_fields.iter().all(real), "{free_fields:?}");
    }

    #[test]
    fn redraws_are_deterministic_and_counted() {
        let mut r = request(3, 1);
        r.only_valid = true;
        r.max_len = 12; // too short for a well-formed card: every draw is tried
        let service = GenerationService::start(model(false), options(4, 4, 4));
        let a = service.generate_all(r.clone()).unwrap();
        let b = GenerationService::start(model(false), options(1, 4, 1))
            .generate_all(r)
            .unwrap();
        assert_eq!(a, b);
        assert!(a.iter().all(|c| c.tries == MAX_TRIES && !c.is_valid()));
    }

    #[test]
    fn a_dropped_or_cancelled_stream_frees_its_rows() {
        let service = GenerationService::start(model(false), options(2, 4, 2));
        // Nobody reads this one: it would hold its rows forever.
        let mut stalled = service.submit(request(1_000_000, 1)).unwrap();
        assert!(stalled.next().unwrap().is_ok());
        let token = stalled.cancel_token();
        token.cancel();
        assert!(token.is_cancelled());
        let rest: Vec<_> = stalled.collect();
        assert!(
            rest.len() <= 2 * 2,
            "ends soon after the cancel: {}",
            rest.len()
        );
        let dropped = service.submit(request(1_000_000, 2)).unwrap();
        drop(dropped);
        // The rows are free again.
        assert_eq!(service.generate_all(request(3, 3)).unwrap().len(), 3);
    }

    #[test]
    fn a_passed_deadline_ends_the_stream_with_an_error() {
        let service = GenerationService::start(model(false), options(2, 4, 2));
        let mut r = request(1_000_000, 1);
        r.deadline = Some(Instant::now() + Duration::from_millis(50));
        let results: Vec<_> = service.submit(r).unwrap().collect();
        let last = results.last().unwrap();
        assert!(
            matches!(
                last,
                Err(Error::DeadlinePassed {
                    requested: 1_000_000,
                    ..
                })
            ),
            "{last:?}"
        );
        assert!(results[..results.len() - 1].iter().all(|c| c.is_ok()));
        // Its rows are free: nothing runs once the stream has ended.
        let idle = Instant::now() + Duration::from_secs(5);
        while service.load() != Load::default() && Instant::now() < idle {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(service.load(), Load::default());
    }

    #[test]
    fn the_load_counts_requests_and_rows_in_use() {
        let service = GenerationService::start(model(false), options(2, 4, 2));
        assert_eq!(service.load(), Load::default());
        // Unread: it holds its rows until dropped.
        let mut held = service.submit(request(1_000_000, 1)).unwrap();
        assert!(held.next().unwrap().is_ok());
        let load = service.load();
        assert_eq!((load.waiting, load.requests), (0, 1), "{load:?}");
        assert!(load.rows_busy <= 2, "{load:?}");
        drop(held);
        let idle = Instant::now() + Duration::from_secs(5);
        while service.load() != Load::default() && Instant::now() < idle {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(service.load(), Load::default());
    }

    #[test]
    fn a_full_queue_is_refused_at_once() {
        let service = GenerationService::start(model(false), options(1, 1, 1));
        // Unread requests never finish: one runs, one waits, the rest are refused.
        let mut held = Vec::new();
        let mut refused = 0;
        for seed in 0..4 {
            match service.try_submit(request(1_000_000, seed)) {
                Ok(s) => held.push(s),
                Err(Error::QueueFull(1)) => refused += 1,
                Err(e) => panic!("{e}"),
            }
        }
        assert!(refused >= 2 && held.len() <= 2, "{refused} refused");
        drop(held);
        assert_eq!(service.generate_all(request(2, 9)).unwrap().len(), 2);
    }

    #[test]
    fn bad_requests_are_refused_before_they_are_queued() {
        let service = GenerationService::start(model(false), options(2, 2, 2));
        let err = |r: CardRequest| service.submit(r).err().unwrap().to_string();
        let mut r = request(1, 1);
        r.max_len = 1;
        assert!(err(r).contains("--max-len"));
        let mut r = request(1, 1);
        r.sampling.top_p = Some(1.5);
        assert!(err(r).contains("top-p"));
        let mut r = request(1, 1);
        r.force.name = Some("Ωmega".into());
        assert!(err(r).contains("never written"));
        let mut r = request(1, 1);
        r.novel_only = true;
        assert!(err(r).contains("--novel-only"));
        assert!(service.generate_all(request(0, 1)).unwrap().is_empty());
    }
}
