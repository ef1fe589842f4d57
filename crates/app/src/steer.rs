//! Field forcing and the type-line guide (the cards crate's [`Forcing`] and
//! [`TypeLineState`], in characters) as the lm crate's [`Steer`] (in tokens
//! of the model's vocabulary).

use std::collections::VecDeque;

use cardlm_cards::field_forcing::{Forcing, ForcingPlan};
use cardlm_cards::type_line_guide::TypeLineState;
use cardlm_lm::sample::Steer;
use cardlm_lm::Vocab;

use crate::error::{Error, Result};

/// Steers one card: the cards crate's forcing state over the model's vocabulary.
pub struct CardSteer<'a> {
    /// `None`: nothing forced.
    pub forcing: Option<Forcing>,
    /// `None`: type lines not guided.
    pub guide: Option<TypeLineState>,
    pub vocab: &'a Vocab,
}

impl Steer for CardSteer<'_> {
    fn after(&mut self, token: u32, forced: &mut VecDeque<u32>) {
        let Some(c) = self.vocab.char(token) else {
            return;
        };
        if let Some(g) = self.guide.as_mut() {
            g.after(c);
        }
        let Some(f) = self.forcing.as_mut() else {
            return;
        };
        if let Some(text) = f.after(c) {
            // Checked against the vocabulary before generation started.
            forced.extend(text.chars().filter_map(|c| self.vocab.id(c)));
        }
    }

    fn restrict(&self, logits: &mut [f32]) {
        let mut banned = match &self.forcing {
            Some(f) => f.banned(self.vocab.chars()),
            None => Vec::new(),
        };
        if let Some(g) = &self.guide {
            banned.extend(g.banned(self.vocab.chars()));
        }
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
            guide: None,
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
            err.contains("never written") && err.contains("'ω'") && err.contains("--help"),
            "{err}"
        );
        assert!(check_vocabulary(&ForcingPlan::default(), &vocab()).is_ok());
    }

    #[test]
    fn the_guide_bans_what_cannot_continue_a_type_word() {
        use cardlm_cards::judge::Lexicon;
        use cardlm_cards::type_line_guide::TypeLineGuide;
        let v = vocab();
        let lex = Lexicon::from_lines(&[
            "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ".to_owned(),
            "Ⓢbear⒞①Ⓖ⒭C⒯creature:bear⒫2/2⒜Ⓔ".to_owned(),
        ]);
        let guide = Arc::new(TypeLineGuide::from_lexicon(&lex).unwrap());
        let mut steer = CardSteer {
            forcing: None,
            guide: Some(TypeLineState::new(guide)),
            vocab: &v,
        };
        let mut forced = VecDeque::new();
        let mut logits = vec![0.0f32; v.len()];
        // Outside the type field, nothing is banned.
        steer.after(v.id('Ⓢ').unwrap(), &mut forced);
        steer.restrict(&mut logits);
        assert!(logits.iter().all(|x| x.is_finite()));
        for c in "ab⒞Ⓡ⒭u⒯c".chars() {
            steer.after(v.id(c).unwrap(), &mut forced);
        }
        steer.restrict(&mut logits);
        let open: String = (0..v.len() as u32)
            .filter(|&t| logits[t as usize].is_finite())
            .map(|t| v.char(t).unwrap())
            .collect();
        assert_eq!(open, "r", "only \"creature\" starts with c");
        assert!(forced.is_empty());
    }
}
