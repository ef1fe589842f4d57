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
        if let Some((from, to)) = self.forcing.as_ref().and_then(Forcing::redirect) {
            self.redirect(logits, from, to);
        }
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

impl CardSteer<'_> {
    /// Gives `from`'s probability to `to`: `to`'s logit becomes
    /// ln(e^to + e^from), `from`'s minus infinity.
    fn redirect(&self, logits: &mut [f32], from: char, to: char) {
        let (Some(f), Some(t)) = (self.vocab.id(from), self.vocab.id(to)) else {
            return;
        };
        let (f, t) = (f as usize, t as usize);
        if f >= logits.len() || t >= logits.len() {
            return;
        }
        let (a, b) = (logits[t], logits[f]);
        let high = a.max(b);
        if high > f32::NEG_INFINITY {
            logits[t] = high + ((a - high).exp() + (b - high).exp()).ln();
        }
        logits[f] = f32::NEG_INFINITY;
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

    /// A steer forcing `opts`, with no type-line guide.
    fn forcing_steer(v: &Vocab, opts: ForceOptions) -> CardSteer<'_> {
        CardSteer {
            forcing: Some(Forcing::new(Arc::new(ForcingPlan::new(&opts).unwrap()))),
            guide: None,
            vocab: v,
        }
    }

    #[test]
    fn a_forced_name_is_fed_as_tokens_after_the_start_symbol() {
        let v = vocab();
        let mut steer = forcing_steer(
            &v,
            ForceOptions {
                name: Some("Ab".into()),
                ..ForceOptions::default()
            },
        );
        let mut forced = VecDeque::new();
        steer.after(v.id('Ⓢ').unwrap(), &mut forced);
        let text: String = forced.iter().map(|&t| v.char(t).unwrap()).collect();
        assert_eq!(text, "ab⒞");
    }

    #[test]
    fn a_forced_multi_part_layout_gives_the_end_s_probability_to_the_next_face() {
        let v = Vocab::new("ⒺⓈ⒞⒭⒯⒫⒜⒨⒝abc".chars().collect()).unwrap();
        let mut steer = forcing_steer(
            &v,
            ForceOptions {
                layout: Some("transform".into()),
                ..ForceOptions::default()
            },
        );
        let mut forced = VecDeque::new();
        for c in "Ⓢa⒞⒭a⒯a⒜b".chars() {
            steer.after(v.id(c).unwrap(), &mut forced);
            forced.clear();
        }
        let (end, face, a) = (
            v.id('Ⓔ').unwrap() as usize,
            v.id('⒝').unwrap() as usize,
            v.id('a').unwrap() as usize,
        );
        let mut logits = vec![0.0f32; v.len()];
        logits[end] = 2.0;
        logits[face] = -1.0;
        steer.restrict(&mut logits);
        assert_eq!(logits[end], f32::NEG_INFINITY);
        let expected = (2.0f32.exp() + (-1.0f32).exp()).ln();
        assert!((logits[face] - expected).abs() < 1e-6, "{}", logits[face]);
        assert_eq!(logits[a], 0.0);
        // After the second face starts, the card may end as the model likes.
        steer.after(face as u32, &mut forced);
        let mut logits = vec![0.0f32; v.len()];
        logits[end] = 2.0;
        steer.restrict(&mut logits);
        assert_eq!(logits[end], 2.0);
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
