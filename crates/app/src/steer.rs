//! Field forcing (the cards crate's [`Forcing`], in characters) as the lm
//! crate's [`Steer`] (in tokens of the model's vocabulary).

use std::collections::VecDeque;

use cardlm_cards::field_forcing::{Forcing, ForcingPlan};
use cardlm_lm::sample::Steer;
use cardlm_lm::Vocab;

use crate::error::{Error, Result};

/// Steers one card: the cards crate's forcing state over the model's vocabulary.
pub struct CardSteer<'a> {
    /// `None`: nothing forced.
    pub forcing: Option<Forcing>,
    pub vocab: &'a Vocab,
}

impl Steer for CardSteer<'_> {
    fn after(&mut self, token: u32, forced: &mut VecDeque<u32>) {
        let (Some(f), Some(c)) = (self.forcing.as_mut(), self.vocab.char(token)) else {
            return;
        };
        if let Some(text) = f.after(c) {
            // Checked against the vocabulary before generation started.
            forced.extend(text.chars().filter_map(|c| self.vocab.id(c)));
        }
    }

    fn restrict(&self, logits: &mut [f32]) {
        let Some(f) = &self.forcing else { return };
        let banned = f.banned(self.vocab.chars());
        if banned.is_empty() {
            return;
        }
        let saved = logits.to_vec();
        for c in banned {
            if let Some(id) = self.vocab.id(c) {
                if let Some(x) = logits.get_mut(id as usize) {
                    *x = f32::NEG_INFINITY;
                }
            }
        }
        // Never forbid everything: the model then writes what it would have.
        if logits.iter().all(|x| *x == f32::NEG_INFINITY) {
            logits.copy_from_slice(&saved);
        }
    }
}

/// Refuses forced values with characters the model cannot write.
pub fn check_vocabulary(plan: &ForcingPlan, vocab: &Vocab) -> Result<()> {
    let mut problems = Vec::new();
    for (option, value) in plan.values() {
        if let Err(unknown) = vocab.encode(&value) {
            let list: Vec<String> = unknown.iter().map(|c| format!("{c:?}")).collect();
            problems.push(format!("{option}: {}", list.join(" ")));
        }
    }
    if !problems.is_empty() {
        return Err(Error::UnknownCharacters {
            problems: problems.join(", "),
            vocabulary: vocab.chars().iter().collect(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardlm_cards::field_forcing::ForceOptions;
    use std::sync::Arc;

    fn vocab() -> Vocab {
        Vocab::new(
            "ⒺⓈ⒞⒭⒯⒫⒜abcdefghijklmnopqrstuvwxyz :/0123456789ⓌⓊⒷⓇⒼ"
                .chars()
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn a_forced_name_is_fed_as_tokens_after_the_start_symbol() {
        let v = vocab();
        let plan = ForcingPlan::new(&ForceOptions {
            name: Some("Ab".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        let mut steer = CardSteer {
            forcing: Some(Forcing::new(Arc::new(plan))),
            vocab: &v,
        };
        let mut forced = VecDeque::new();
        steer.after(v.id('Ⓢ').unwrap(), &mut forced);
        let text: String = forced.iter().map(|&t| v.char(t).unwrap()).collect();
        assert_eq!(text, "ab⒞");
    }

    #[test]
    fn unknown_characters_are_refused_naming_the_option() {
        let plan = ForcingPlan::new(&ForceOptions {
            name: Some("Ωmega".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        let err = check_vocabulary(&plan, &vocab()).unwrap_err().to_string();
        assert!(
            err.contains("does not know") && err.contains("'ω'"),
            "{err}"
        );
        assert!(check_vocabulary(&ForcingPlan::default(), &vocab()).is_ok());
    }
}
