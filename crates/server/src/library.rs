//! The server over the library's generation service: [`LibraryService`] is
//! the [`CardService`] that `cardlm serve` starts, and [`model_info`] the
//! model's description for `GET /api/model`.

use crate::api::Job;
use crate::service::{CardService, Event, Refusal};
use cardlm_app::{Error, GenerationService, JudgedCard};
use cardlm_lm::run::LoadedRun;
use serde_json::json;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

/// The HTTP layer's view of the library's generation service (one sampler
/// loop, continuous batching over every client's cards).
pub struct LibraryService {
    info: serde_json::Value,
    service: Arc<GenerationService>,
    stopping: AtomicBool,
}

impl LibraryService {
    /// `info` is what `GET /api/model` answers (see [`model_info`]).
    pub fn new(service: GenerationService, info: serde_json::Value) -> Self {
        LibraryService {
            info,
            service: Arc::new(service),
            stopping: AtomicBool::new(false),
        }
    }
}

impl CardService for LibraryService {
    fn info(&self) -> serde_json::Value {
        self.info.clone()
    }

    fn submit(&self, job: Job) -> Result<mpsc::Receiver<Event>, Refusal> {
        if self.stopping.load(Ordering::SeqCst) {
            return Err(Refusal::Stopping);
        }
        let count = job.count;
        let mut request = job;
        // Without the training cards there is nothing to redraw against.
        request.novel_only = request.novel_only && self.service.model().novelty.is_some();
        let stream = self.service.try_submit(request).map_err(|e| match e {
            Error::QueueFull(_) => Refusal::Busy(format!("{e}; try again shortly")),
            Error::Stopped => Refusal::Stopping,
            // Messages name the CLI options (`--cost`): the API's fields without dashes.
            e => Refusal::Invalid(e.to_string().replace("--", "")),
        })?;
        let (tx, rx) = mpsc::channel(count.max(1));
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

/// The model's description: architecture, training, corpus, the summary of
/// its `eval.json`, whether novelty is judged.
pub fn model_info(run: &LoadedRun, dir: &Path, novelty: bool) -> serde_json::Value {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eval_summary_takes_the_figures_at_temperature_1() {
        let dir = std::env::temp_dir().join(format!("cardlm-eval-summary-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(eval_summary(&dir).is_null());
        std::fs::write(
            dir.join("eval.json"),
            r#"{"valid_loss_nats": 0.5, "samples": [
                {"temperature": 0.5, "well_formed_rate": 0.1},
                {"temperature": 1.0, "well_formed_rate": 0.9, "exact_copy_rate": 0.02}]}"#,
        )
        .unwrap();
        let s = eval_summary(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(s["valid_loss_nats"], 0.5);
        assert_eq!(s["well_formed_at_1"], 0.9);
        assert_eq!(s["exact_copy_at_1"], 0.02);
    }
}
