//! What the HTTP layer needs from a generation service: the model's
//! description, and a way to queue a checked [`Job`] whose judged cards
//! arrive one by one as they are sampled.
//!
//! The server holds one service for the whole process (the model is loaded
//! once) and calls it from many connections at once; the service batches the
//! jobs of every client together. Dropping the receiver cancels the job.

use cardlm_app::JudgedCard;
use cardlm_cards::decode::Rules;
use cardlm_cards::field_forcing::ForcingPlan;
use cardlm_cards::markers::END;
use tokio::sync::mpsc;

use crate::api::Job;

/// What a job sends while it runs.
#[derive(Debug)]
pub enum Event {
    /// A card is done (cards come in the order they finish; `index` says
    /// which one it is). The API sends it as `cardlm generate --format json`
    /// writes it.
    Card(Box<JudgedCard>),
    /// The job's deadline passed before its last card; nothing more comes.
    Late,
    /// The job failed; nothing more comes.
    Failed(String),
}

/// Why a job was not queued.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The job does not fit the model (e.g. a forced value with characters
    /// the model never saw): the client's mistake.
    Invalid(String),
    /// The queue is full: try again later.
    Busy(String),
    /// The server is stopping.
    Stopping,
}

/// A generation service shared by every connection.
pub trait CardService: Send + Sync + 'static {
    /// The model: its configuration, where it was loaded from, its evaluation
    /// summary when it has one, and the service's own limits.
    fn info(&self) -> serde_json::Value;

    /// Queues a job. Its cards are sent on the returned channel as each is
    /// judged, then the channel closes; dropping the receiver cancels the
    /// cards not yet done.
    fn submit(&self, job: Job) -> Result<mpsc::Receiver<Event>, Refusal>;

    /// Stops taking jobs; the ones queued or running are finished or, when
    /// their receivers are gone, dropped.
    fn stop(&self) {}

    /// Judges a card line sent back by a client (to export it) as the
    /// service judges its own cards: its verdicts are the server's, not the
    /// client's. Without a model's judges: decoded and checked for form only.
    fn judge(&self, index: usize, line: String) -> JudgedCard {
        let ended = line.ends_with(END);
        JudgedCard::judge(
            index,
            1,
            line,
            ended,
            &ForcingPlan::default(),
            None,
            Rules::default(),
        )
    }

    /// How busy the sampler is (`/api/health` shows it); `null` when unknown.
    fn load(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
}
