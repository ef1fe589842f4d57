//! The API's request and error types: what a client may send, the bounds
//! every request is checked against, and the one-message JSON error.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cardlm_cards::field_forcing::ForceOptions;
use cardlm_lm::sample::{InitState, SampleOptions};
use serde::{Deserialize, Serialize};

use cardlm_app::export::Format;
use cardlm_app::service::DEFAULT_TOP_P;

/// Bounds on one request (sizes a client may ask for).
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Most cards in one request.
    pub max_cards: usize,
    /// Longest card a request may ask for, in characters.
    pub max_len: usize,
    /// Longest name, in characters.
    pub max_name: usize,
    /// Longest other text field (cost, type, subtypes, P/T, ability).
    pub max_text: usize,
    /// Highest temperature.
    pub max_temperature: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_cards: 64,
            max_len: 1024,
            max_name: 60,
            max_text: 300,
            max_temperature: 5.0,
        }
    }
}

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// A generate request as sent: every option `cardlm generate` has, under the
/// same names (`type` for `--type`). Unknown fields are refused.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenerateRequest {
    /// Number of cards [default 5].
    pub n: Option<usize>,
    /// The same seed and options give the same cards; a new one when absent.
    pub seed: Option<u64>,
    /// [default 1.0]; 0 is greedy.
    pub temperature: Option<f64>,
    pub top_k: Option<usize>,
    /// [default 0.9, as `generate`]; 1 samples among every character.
    pub top_p: Option<f64>,
    /// Longest card in characters [default 512].
    pub max_len: Option<usize>,
    /// `zeros` (default) or `random`.
    pub init_state: Option<String>,
    pub name: Option<String>,
    pub cost: Option<String>,
    pub rarity: Option<String>,
    #[serde(rename = "type")]
    pub type_line: Option<String>,
    pub subtypes: Option<String>,
    pub pt: Option<String>,
    pub ability: Option<String>,
    /// Draw a card again (up to 20 times) until it is well-formed.
    #[serde(default)]
    pub only_valid: bool,
    /// Draw a card again (up to 20 times) until it is no copy of a training card.
    #[serde(default)]
    pub novel_only: bool,
    /// Curated sampling: the best of this many candidates per card, as many
    /// again when none is clean [default 48, as `generate --best-of`; 1 when
    /// only_valid or novel_only redraws instead].
    pub best_of: Option<usize>,
    /// Curate within the length of the model's own card, as `generate
    /// --keep-length`.
    #[serde(default)]
    pub keep_length: bool,
}

/// A checked request: what the generation service runs (the library's own
/// request type, so the API cannot drift from what `generate` takes).
pub type Job = cardlm_app::CardRequest;

/// An error as the client sees it: a status and one message, sent as
/// `{"error": message}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    pub fn unprocessable(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: message.into(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&ErrorBody {
            error: &self.message,
        })
        .unwrap_or_else(|_| "{\"error\":\"unprintable error\"}".into());
        (
            self.status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}

/// A request body into a [`GenerateRequest`]: a syntax error, a wrong type
/// or an unknown field is one message naming it.
pub fn parse_request(body: &[u8]) -> Result<GenerateRequest, ApiError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        // An empty body asks for the defaults.
        return Ok(GenerateRequest::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("invalid request body: {e}")))
}

fn text(field: &str, value: &Option<String>, max: usize) -> Result<Option<String>, ApiError> {
    match value {
        None => Ok(None),
        // An empty form field means "not fixed".
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => {
            let chars = v.chars().count();
            if chars > max {
                return Err(ApiError::bad_request(format!(
                    "{field} is {chars} characters long; at most {max} are allowed"
                )));
            }
            Ok(Some(v.clone()))
        }
    }
}

impl GenerateRequest {
    /// Checks every bound and option; `seed` is used when the request has
    /// none. The steered fields are checked against each other by the cards
    /// crate's forcing plan (as `generate` does).
    pub fn validate(&self, limits: &Limits, seed: u64) -> Result<Job, ApiError> {
        let n = self.n.unwrap_or(5);
        if n == 0 || n > limits.max_cards {
            return Err(ApiError::bad_request(format!(
                "n must be between 1 and {}, not {n}",
                limits.max_cards
            )));
        }
        let max_len = self.max_len.unwrap_or(512);
        if !(2..=limits.max_len).contains(&max_len) {
            return Err(ApiError::bad_request(format!(
                "max_len must be between 2 and {}, not {max_len}",
                limits.max_len
            )));
        }
        let temperature = self.temperature.unwrap_or(1.0);
        if !(temperature.is_finite() && (0.0..=limits.max_temperature).contains(&temperature)) {
            return Err(ApiError::bad_request(format!(
                "temperature must be between 0 and {} (0 is greedy), not {temperature}",
                limits.max_temperature
            )));
        }
        let sampling = SampleOptions {
            temperature,
            top_k: self.top_k,
            top_p: Some(self.top_p.unwrap_or(DEFAULT_TOP_P)),
        };
        sampling
            .validate()
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        let init = match self.init_state.as_deref() {
            None => InitState::Zeros,
            Some(s) => s.parse().map_err(|e: cardlm_lm::LmError| {
                ApiError::bad_request(format!("init_state: {e}"))
            })?,
        };
        let force = ForceOptions {
            name: text("name", &self.name, limits.max_name)?,
            cost: text("cost", &self.cost, limits.max_text)?,
            rarity: text("rarity", &self.rarity, limits.max_text)?,
            type_line: text("type", &self.type_line, limits.max_text)?,
            subtypes: text("subtypes", &self.subtypes, limits.max_text)?,
            pt: text("pt", &self.pt, limits.max_text)?,
            ability: text("ability", &self.ability, limits.max_text)?,
            ..ForceOptions::default()
        };
        // The same checks as `generate`; its messages name the CLI options
        // (`--cost`), which are the API's fields without the dashes.
        cardlm_cards::field_forcing::ForcingPlan::new(&force)
            .map_err(|e| ApiError::unprocessable(e.replace("--", "")))?;
        let max = cardlm_app::service::MAX_CANDIDATES;
        let candidates = match self.best_of {
            Some(b) if (1..=max).contains(&b) => b,
            Some(b) => {
                return Err(ApiError::bad_request(format!(
                    "best_of: {b} is outside 1..={max}"
                )))
            }
            // As `generate`: the default curation gives way to explicit redraws.
            None if self.only_valid || self.novel_only => 1,
            None => cardlm_app::service::DEFAULT_CANDIDATES,
        };
        Ok(Job {
            count: n,
            seed: self.seed.unwrap_or(seed),
            sampling,
            max_len,
            init,
            force,
            only_valid: self.only_valid,
            novel_only: self.novel_only,
            deadline: None,
            candidates,
            keep_length: self.keep_length,
            // Type lines guided by the model's lexicon, as `generate` does by default.
            guide_types: true,
        })
    }
}

/// Largest export request body, in bytes (64 generated card objects as
/// `/api/generate` returns them fit several times over).
pub const MAX_EXPORT_BODY_BYTES: usize = 1024 * 1024;

/// An export request: the cards to write, as `/api/generate` returned them
/// (or only their `line`s). Of each card the server reads `line` and what
/// the line cannot tell (`index`, `tries`, `candidates`, `ended`,
/// `mean_log_prob`, `missed_fields`); its other fields are recomputed from
/// the line, so that the verdicts written are the server's.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    pub cards: Vec<ExportCard>,
    /// The seed the cards came from (named in the title and the file name).
    pub seed: Option<u64>,
    /// The set's title (MSE, Cockatrice) or the page's (HTML).
    pub title: Option<String>,
    /// Read and not used, so that a whole `/api/generate` answer
    /// (`{"seed", "n", "elapsed_ms", "cards"}`) can be sent back as it is.
    #[serde(default, rename = "n")]
    pub _n: Option<usize>,
    #[serde(default, rename = "elapsed_ms")]
    pub _elapsed_ms: Option<u64>,
}

/// One card of an [`ExportRequest`].
#[derive(Clone, Debug, Deserialize)]
pub struct ExportCard {
    /// The encoded line (`Ⓢ…Ⓔ`).
    pub line: String,
    pub index: Option<usize>,
    pub tries: Option<usize>,
    pub candidates: Option<usize>,
    pub ended: Option<bool>,
    pub mean_log_prob: Option<f64>,
    #[serde(default)]
    pub missed_fields: Vec<String>,
}

/// A checked export: the format, the title and each card's line with what
/// the line cannot tell.
#[derive(Clone, Debug)]
pub struct ExportJob {
    pub format: Format,
    pub seed: Option<u64>,
    pub title: Option<String>,
    pub cards: Vec<ExportCard>,
}

/// `format=NAME` from a query string.
pub fn export_format(query: Option<&str>) -> Result<Format, ApiError> {
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
    let wanted = query
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("format="));
    let Some(name) = wanted else {
        return Err(ApiError::bad_request(format!(
            "give the format: /api/export?format=NAME, NAME one of {}",
            names.join(", ")
        )));
    };
    Format::from_name(name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown export format {name:?}; one of {}",
            names.join(", ")
        ))
    })
}

impl ExportRequest {
    /// Reads an export body.
    pub fn parse(body: &[u8]) -> Result<ExportRequest, ApiError> {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("invalid export body: {e}")))
    }

    /// Checks the sizes and values against `limits`.
    pub fn validate(self, format: Format, limits: &Limits) -> Result<ExportJob, ApiError> {
        let n = self.cards.len();
        if n == 0 || n > limits.max_cards {
            return Err(ApiError::bad_request(format!(
                "cards must hold between 1 and {} cards, not {n}",
                limits.max_cards
            )));
        }
        let title = text("title", &self.title, limits.max_text)?;
        let forced = cardlm_cards::field_forcing::FORCED_FIELDS;
        for (i, c) in self.cards.iter().enumerate() {
            let chars = c.line.chars().count();
            if chars == 0 || chars > limits.max_len {
                return Err(ApiError::bad_request(format!(
                    "card {i}: line must be 1 to {} characters long, not {chars}",
                    limits.max_len
                )));
            }
            let max = cardlm_app::service::MAX_TRIES.max(cardlm_app::service::MAX_CANDIDATES);
            for (field, v) in [("tries", c.tries), ("candidates", c.candidates)] {
                if v.is_some_and(|v| v == 0 || v > max) {
                    return Err(ApiError::bad_request(format!(
                        "card {i}: {field} must be between 1 and {max}"
                    )));
                }
            }
            if c.index.is_some_and(|x| x >= limits.max_cards) {
                return Err(ApiError::bad_request(format!(
                    "card {i}: index must be below {}",
                    limits.max_cards
                )));
            }
            if c.mean_log_prob.is_some_and(|p| !p.is_finite()) {
                return Err(ApiError::bad_request(format!(
                    "card {i}: mean_log_prob must be a finite number"
                )));
            }
            if let Some(bad) = c
                .missed_fields
                .iter()
                .find(|f| !forced.contains(&f.as_str()))
            {
                return Err(ApiError::bad_request(format!(
                    "card {i}: unknown missed field {bad:?}; one of {}",
                    forced.join(", ")
                )));
            }
        }
        Ok(ExportJob {
            format,
            seed: self.seed,
            title,
            cards: self.cards,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(json: &str) -> Result<Job, ApiError> {
        parse_request(json.as_bytes())?.validate(&Limits::default(), 42)
    }

    #[test]
    fn defaults_and_every_option_are_read() {
        let job = check("").unwrap();
        assert_eq!((job.count, job.seed, job.max_len), (5, 42, 512));
        assert_eq!(job.sampling.temperature, 1.0);
        assert_eq!(job.sampling.top_p, Some(DEFAULT_TOP_P));
        let job = check(
            r#"{"n": 3, "seed": 7, "temperature": 0.5, "top_k": 4, "top_p": 0.8, "max_len": 100,
                "init_state": "random", "name": "Bob", "cost": "{2}{G}", "rarity": "rare",
                "type": "creature", "subtypes": "elf", "pt": "2/2", "ability": "flying",
                "only_valid": true, "novel_only": true, "keep_length": true}"#,
        )
        .unwrap();
        assert_eq!((job.count, job.seed, job.max_len), (3, 7, 100));
        assert_eq!(job.sampling.top_k, Some(4));
        assert_eq!(job.sampling.top_p, Some(0.8));
        assert_eq!(job.init, InitState::Random);
        assert_eq!(job.force.subtypes.as_deref(), Some("elf"));
        assert_eq!(job.force.type_line.as_deref(), Some("creature"));
        assert!(job.only_valid && job.novel_only && job.keep_length);
        // Empty form fields are not fixed.
        assert_eq!(check(r#"{"name": " "}"#).unwrap().force.name, None);
    }

    #[test]
    fn bad_requests_get_one_clear_message() {
        let cases = [
            (r#"{"n": 0}"#, "n must be between 1 and 64"),
            (r#"{"n": 65}"#, "n must be between 1 and 64"),
            (r#"{"n": -1}"#, "invalid request body"),
            (r#"{"max_len": 1}"#, "max_len must be between 2"),
            (r#"{"max_len": 5000}"#, "max_len must be between 2"),
            (
                r#"{"temperature": 9}"#,
                "temperature must be between 0 and 5",
            ),
            (r#"{"temperature": -1}"#, "temperature must be between"),
            (r#"{"top_k": 0}"#, "top-k must be at least 1"),
            (r#"{"top_p": 1.5}"#, "top-p must be in (0, 1]"),
            (
                r#"{"init_state": "hot"}"#,
                "init_state: unknown initial state",
            ),
            (r#"{"colour": "red"}"#, "unknown field `colour`"),
            (r#"{"n": 3"#, "invalid request body"),
            (r#"[1, 2]"#, "invalid request body"),
            (r#"{"pt": "big"}"#, "pt \"big\": expected power/toughness"),
            (r#"{"pt": "2/2", "type": "instant"}"#, "needs a creature"),
            (r#"{"cost": "{2}{G"}"#, "cost"),
            (r#"{"rarity": "legendary"}"#, "rarity \"legendary\""),
        ];
        for (json, want) in cases {
            let e = check(json).unwrap_err();
            assert!(e.status.is_client_error(), "{json}: {:?}", e.status);
            assert!(e.message.contains(want), "{json}: {}", e.message);
            assert!(!e.message.contains('\n'), "{json}: one line: {}", e.message);
        }
        let long = format!(r#"{{"name": "{}"}}"#, "x".repeat(61));
        let e = check(&long).unwrap_err();
        assert_eq!(
            e.message,
            "name is 61 characters long; at most 60 are allowed"
        );
    }

    fn export(query: &str, json: &str) -> Result<ExportJob, ApiError> {
        let format = export_format(Some(query))?;
        ExportRequest::parse(json.as_bytes())?.validate(format, &Limits::default())
    }

    #[test]
    fn export_requests_take_generated_cards_and_refuse_bad_ones() {
        let job = export(
            "format=mse",
            r#"{"seed": 3, "cards": [{"line": "Ⓢx⒞Ⓡ⒭C⒯instantⒺ", "index": 0, "tries": 1,
                "candidates": 8, "name": "X", "well_formed": true, "novelty": null,
                "missed_fields": ["cost"]}]}"#,
        )
        .unwrap();
        assert_eq!(job.format, Format::Mse);
        assert_eq!((job.seed, job.cards.len()), (Some(3), 1));
        assert_eq!(job.cards[0].candidates, Some(8));
        assert_eq!(export_format(Some("x=1&format=png")).unwrap(), Format::Png);
        let line = r#"{"line": "Ⓢx⒞Ⓡ⒭C⒯instantⒺ"}"#;
        let many = format!(r#"{{"cards": [{}]}}"#, vec![line; 65].join(","));
        let long = format!(r#"{{"cards": [{{"line": "{}"}}]}}"#, "a".repeat(1025));
        let cases = [
            ("", r#"{"cards": []}"#, "give the format"),
            (
                "format=pdf",
                r#"{"cards": []}"#,
                "unknown export format \"pdf\"",
            ),
            (
                "format=json",
                r#"{"cards": []}"#,
                "between 1 and 64 cards, not 0",
            ),
            ("format=json", &many, "between 1 and 64 cards, not 65"),
            ("format=json", &long, "card 0: line must be 1 to 1024"),
            (
                "format=json",
                r#"{"cards": [{"line": ""}]}"#,
                "card 0: line must be",
            ),
            (
                "format=json",
                r#"{"cards": [{"index": 1}]}"#,
                "missing field `line`",
            ),
            (
                "format=json",
                r#"{"cards": [], "colour": 1}"#,
                "unknown field `colour`",
            ),
            (
                "format=json",
                r#"{"cards": [{"line": "x", "tries": 0}]}"#,
                "tries must be between",
            ),
            (
                "format=json",
                r#"{"cards": [{"line": "x", "index": 64}]}"#,
                "index must be below 64",
            ),
            (
                "format=json",
                r#"{"cards": [{"line": "x", "missed_fields": ["art"]}]}"#,
                "unknown missed field \"art\"",
            ),
            ("format=json", "[", "invalid export body"),
        ];
        for (query, json, want) in cases {
            let e = export(query, json).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{query} {json:.60}");
            assert!(
                e.message.contains(want),
                "{query} {json:.60}: {}",
                e.message
            );
            assert!(!e.message.contains('\n'));
        }
    }
}
