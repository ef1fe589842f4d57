//! The cards crate's augmentations ([`Augmentation`]) as the lm crate's
//! [`SequenceTransform`]: token ids back to a line, rewritten, and back.

use cardlm_cards::augment::Augmentation;
use cardlm_lm::char_vocab::Vocab;
use cardlm_lm::rng::Rng;
use cardlm_lm::train::SequenceTransform;

/// An augmentation of encoded card lines, for a corpus numbered by `vocab`.
pub struct CardAugment {
    augmentation: Augmentation,
    vocab: Vocab,
}

impl CardAugment {
    /// The transform for the augmentation named `name` in a run's options
    /// (`mana-order`), or an error naming the unknown augmentation.
    pub fn named(name: &str, vocab: &Vocab) -> Result<CardAugment, String> {
        let augmentation = Augmentation::from_name(name)
            .ok_or_else(|| format!("unknown augmentation {name:?} (known: mana-order)"))?;
        Ok(CardAugment {
            augmentation,
            vocab: vocab.clone(),
        })
    }
}

impl SequenceTransform for CardAugment {
    fn apply(&self, sequence: &[u32], rng: &mut Rng) -> Vec<u32> {
        let chars = self.vocab.chars();
        let line: String = sequence.iter().map(|&i| chars[i as usize]).collect();
        let rewritten = self.augmentation.apply(&line, &mut |n| rng.below(n));
        // The rewrite only reorders the line's own characters, all in the vocabulary.
        rewritten
            .chars()
            .map(|c| self.vocab.id(c).expect("a character of the line"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reorders_cost_tokens_and_keeps_the_rest() {
        let line = "Ⓢx⒞①ⓌⓊ⒭C⒯instant⒜draw a card.Ⓔ";
        let mut chars: Vec<char> = line.chars().collect();
        chars.sort();
        chars.dedup();
        chars.retain(|&c| c != 'Ⓔ');
        chars.insert(0, 'Ⓔ');
        let vocab = Vocab::new(chars).unwrap();
        let ids = vocab.encode(line).unwrap();
        let t = CardAugment::named("mana-order", &vocab).unwrap();
        let mut seen = std::collections::HashSet::new();
        for seed in 0..50 {
            let out = t.apply(&ids, &mut Rng::new(seed));
            let text: String = out.iter().map(|&i| vocab.chars()[i as usize]).collect();
            assert_eq!(text.len(), line.len());
            assert!(text.starts_with("Ⓢx⒞") && text.ends_with("⒭C⒯instant⒜draw a card.Ⓔ"));
            seen.insert(text);
        }
        assert_eq!(seen.len(), 6, "3 symbols, 3! orders");
        assert!(CardAugment::named("keywords", &vocab)
            .err()
            .unwrap()
            .contains("keywords"));
    }
}
