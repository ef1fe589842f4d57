//! Names fitted to their cards.
//!
//! The model writes a card's name first and everything else after it, so a
//! name cannot know the card it heads: "Tranquil Bat" comes out a Beast,
//! "Volcanic Merchant" black, "Goblin Livar" a Sliver. Once the curator has
//! picked a card, [`NameFitter`] draws other names from the model and scores
//! each by how likely the model finds the rest of the card after it,
//! `log p(rest | name)`; the name under which the rest is likeliest is kept,
//! the card's own among the contenders. Names drawn from `p(name)` and kept
//! by `p(rest | name)` approximate the name the model would write knowing the
//! whole card, `p(name | rest)`. The rules text does not change: it names the
//! card by the symbol `Ⓝ`, printed as whatever name the card has.

use cardlm_cards::markers::{ALL_FIELD_MARKERS, COST, END, NAME, START};
use cardlm_lm::rng::Rng;
use cardlm_lm::sample::{generate, Free, GenerateOptions, Request, Sampler, Script};

use crate::model::CardModel;

/// Names drawn for each card besides its own. Where the drawn names stop
/// helping was measured in docs/quality.md ("Session 18").
pub const NAME_DRAWS: usize = 16;

/// The longest name drawn, in characters (the longest training card's name
/// has 33; a draw that runs on is dropped).
const LONGEST_NAME: usize = 40;

/// Marks the name draws' random streams apart from the candidates' (whose
/// coordinates are a card's index and draw number, far below this).
const NAME_STREAM: u64 = u64::MAX - 1;

/// Draws and scores names for finished cards; owns the rows it samples in.
pub struct NameFitter {
    sampler: Sampler,
}

/// A card's line split at its name: `Ⓢ`, the name, then everything from the
/// cost marker on.
struct Split<'a> {
    name: &'a str,
    rest: &'a str,
}

fn split(line: &str) -> Option<Split<'_>> {
    let body = line.strip_prefix(START)?;
    let at = body.find(ALL_FIELD_MARKERS)?;
    let (name, rest) = body.split_at(at);
    (rest.starts_with(COST) && !name.trim().is_empty()).then_some(Split { name, rest })
}

/// A drawn name worth scoring: it reached the cost marker and holds no
/// marker or symbol of the encoding.
fn usable(name: &str) -> bool {
    let name_chars = name.chars().count();
    name_chars > 0
        && name_chars <= LONGEST_NAME
        && name.trim() == name
        && !name
            .chars()
            .any(|c| ALL_FIELD_MARKERS.contains(&c) || c == END || c == NAME || c == START)
}

impl NameFitter {
    pub fn new(model: &CardModel) -> Self {
        NameFitter {
            sampler: Sampler::new(&model.run.model, NAME_DRAWS + 1),
        }
    }

    /// The names worth trying on `line`, its own first: `NAME_DRAWS` draws
    /// from the model with `options`' sampling, each from its own stream of
    /// `seed` and the card's `index`, without repeats. Empty when the line
    /// has no name to replace.
    pub fn contenders(
        &mut self,
        model: &CardModel,
        line: &str,
        options: &GenerateOptions,
        (seed, index): (u64, usize),
    ) -> Vec<String> {
        let Some(own) = split(line) else {
            return Vec::new();
        };
        let (Some(cost), Some(_)) = (model.run.vocab.id(COST), model.run.vocab.id(START)) else {
            return Vec::new();
        };
        let opts = GenerateOptions {
            max_len: LONGEST_NAME + 2,
            stop: Some(cost),
            ..*options
        };
        let requests = (0..NAME_DRAWS)
            .map(|k| Request {
                start: model.start,
                rng: Rng::for_stream(seed, &[index as u64, NAME_STREAM, k as u64]),
                steer: Free,
            })
            .collect();
        let mut names = vec![own.name.to_owned()];
        for g in generate(&mut self.sampler, requests, &opts) {
            if !g.stopped {
                continue;
            }
            let text = model.run.vocab.decode(&g.tokens[1..g.tokens.len() - 1]);
            if usable(&text) && !names.contains(&text) {
                names.push(text);
            }
        }
        names
    }

    /// `log p(rest | name)` for each name in `names` (natural log, summed
    /// over the characters from the cost marker to the end): how well each
    /// explains the rest of `line`. `None` when the line cannot be scored.
    pub fn scores(
        &mut self,
        model: &CardModel,
        line: &str,
        names: &[String],
        options: &GenerateOptions,
    ) -> Option<Vec<f64>> {
        let own = split(line)?;
        let rest = model.run.vocab.encode(own.rest).ok()?;
        let mut scripts = Vec::with_capacity(names.len());
        for name in names {
            let mut tokens = model.run.vocab.encode(name).ok()?;
            let name_len = tokens.len();
            tokens.extend_from_slice(&rest);
            scripts.push((name_len, tokens));
        }
        let opts = GenerateOptions {
            max_len: scripts.iter().map(|(_, t)| t.len() + 1).max().unwrap_or(1),
            stop: Some(model.end),
            ..*options
        };
        let requests = scripts
            .iter()
            .map(|(_, tokens)| Request {
                start: model.start,
                // Forced throughout: the stream only draws the initial state,
                // the same for every name.
                rng: Rng::for_stream(0, &[]),
                steer: Script::new(tokens.clone()),
            })
            .collect();
        let scored = generate(&mut self.sampler, requests, &opts);
        Some(
            scored
                .iter()
                .zip(&scripts)
                .map(|(g, (name_len, _))| {
                    g.forced_log_probs[*name_len..]
                        .iter()
                        .map(|&x| x as f64)
                        .sum()
                })
                .collect(),
        )
    }

    /// `line` under the contender name that best explains the rest of it
    /// (its own name on ties), with that name; `None` when no other name
    /// explains it better or the line has no name to replace.
    pub fn refit(
        &mut self,
        model: &CardModel,
        line: &str,
        options: &GenerateOptions,
        stream: (u64, usize),
    ) -> Option<(String, String)> {
        let names = self.contenders(model, line, options, stream);
        if names.len() < 2 {
            return None;
        }
        let scores = self.scores(model, line, &names, options)?;
        let mut best = 0;
        for (i, s) in scores.iter().enumerate() {
            if *s > scores[best] {
                best = i;
            }
        }
        if best == 0 {
            return None;
        }
        let rest = split(line)?.rest;
        Some((format!("{START}{}{rest}", names[best]), names[best].clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_splits_at_its_cost_marker() {
        let s = split("Ⓢtranquil bat⒞①Ⓖ⒭U⒯creature:beast⒫3/1Ⓔ").unwrap();
        assert_eq!(
            (s.name, s.rest),
            ("tranquil bat", "⒞①Ⓖ⒭U⒯creature:beast⒫3/1Ⓔ")
        );
        // A land's empty cost still starts the rest.
        assert_eq!(split("Ⓢabone worm⒞⒭U⒯landⒺ").unwrap().rest, "⒞⒭U⒯landⒺ");
        for broken in ["tranquil bat⒞①Ⓖ", "Ⓢ⒞①Ⓖ⒭U", "Ⓢname⒭U⒯land", "Ⓢno markers"]
        {
            assert!(split(broken).is_none(), "{broken}");
        }
    }

    #[test]
    fn only_plain_names_are_tried() {
        assert!(usable("grim-grave cruelder"));
        assert!(usable("urza's tome"));
        for bad in ["", " leading", "trailing ", "a⒭b", "has Ⓝ", &"x".repeat(41)] {
            assert!(!usable(bad), "{bad:?}");
        }
    }
}
