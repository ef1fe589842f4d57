//! The policy of `train --resume`: which options a resumed run keeps, and
//! how a corpus numbered differently from the model (an imported seed
//! model) is re-encoded in the model's numbering.

use crate::batch_schedule::Batching;
use crate::char_vocab::Vocab;
use crate::run::TrainOptions;
use crate::token_corpus::TokenCorpus;

/// Training options as given on a command line: `None` where not given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GivenOptions {
    pub epochs: Option<usize>,
    pub batch_size: Option<usize>,
    pub max_len: Option<usize>,
    pub seed: Option<u64>,
    pub batching: Option<Batching>,
    pub learning_rate: Option<f32>,
    pub clip_norm: Option<f32>,
    pub checkpoint_every: Option<usize>,
    pub state_every: Option<usize>,
    pub threads: Option<usize>,
    pub precision: Option<crate::kernels::cpu::Precision>,
    /// `Some(None)`: no augmentation asked for explicitly.
    pub augment: Option<Option<String>>,
}

impl GivenOptions {
    /// `base` with every given option, and what each changed (`--state-every 1 (was 100)`).
    pub fn apply(&self, base: &TrainOptions) -> (TrainOptions, Vec<String>) {
        fn set<T: PartialEq + std::fmt::Debug>(
            field: &mut T,
            given: Option<T>,
            flag: &str,
            changes: &mut Vec<String>,
        ) {
            if let Some(value) = given {
                if *field != value {
                    changes.push(format!("{flag} {value:?} (was {:?})", *field));
                    *field = value;
                }
            }
        }
        let mut out = base.clone();
        let mut changes = Vec::new();
        let c = &mut changes;
        set(&mut out.epochs, self.epochs, "--epochs", c);
        set(&mut out.batch_size, self.batch_size, "--batch-size", c);
        set(&mut out.max_len, self.max_len, "--max-len", c);
        set(&mut out.seed, self.seed, "--seed", c);
        set(&mut out.batching, self.batching, "--batching", c);
        set(
            &mut out.adam.learning_rate,
            self.learning_rate,
            "--learning-rate",
            c,
        );
        set(
            &mut out.clip_norm,
            self.clip_norm.map(Some),
            "--clip-norm",
            c,
        );
        set(
            &mut out.checkpoint_every,
            self.checkpoint_every,
            "--checkpoint-every",
            c,
        );
        set(&mut out.state_every, self.state_every, "--state-every", c);
        set(&mut out.threads, self.threads, "--threads", c);
        set(&mut out.precision, self.precision, "--precision", c);
        set(&mut out.augment, self.augment.clone(), "--augment", c);
        (out, changes)
    }
}

/// Options that only say how long to train and how often to save: changing them
/// keeps a resumed run bit-identical to an uninterrupted one.
const BOOKKEEPING: [&str; 3] = ["--epochs", "--state-every", "--checkpoint-every"];

/// The options a resumed run trains with: every saved option stays unless given
/// again (a run started with `--state-every 1` keeps saving every batch). The notes
/// say what changed and, when the run had saved state, whether the change makes
/// the run differ from one never interrupted.
pub fn resumed_options(
    old: &TrainOptions,
    given: &GivenOptions,
    had_state: bool,
) -> (TrainOptions, Vec<String>) {
    let (options, changes) = given.apply(old);
    let mut notes = Vec::new();
    if !changes.is_empty() {
        notes.push(format!("note: resuming with {}", changes.join(", ")));
    }
    let trajectory = changes
        .iter()
        .any(|c| !BOOKKEEPING.iter().any(|flag| c.starts_with(flag)));
    if had_state && trajectory {
        notes.push(
            "note: with these changes the run stays correct but is not bit-identical to an uninterrupted one"
                .to_owned(),
        );
    }
    (options, notes)
}

/// `corpus` with its token ids translated into `vocab`'s numbering, or the
/// characters of the corpus that `vocab` lacks.
pub fn remap_corpus(corpus: TokenCorpus, vocab: &Vocab) -> Result<TokenCorpus, crate::LmError> {
    let missing: String = corpus
        .vocab
        .chars()
        .iter()
        .filter(|c| vocab.id(**c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(crate::LmError::MissingCharacters(missing));
    }
    let table: Vec<u32> = corpus
        .vocab
        .chars()
        .iter()
        .map(|c| vocab.id(*c).expect("checked above"))
        .collect();
    let translate = |seqs: Vec<Vec<u32>>| -> Vec<Vec<u32>> {
        seqs.into_iter()
            .map(|s| s.into_iter().map(|t| table[t as usize]).collect())
            .collect()
    };
    Ok(TokenCorpus {
        train: translate(corpus.train),
        valid: translate(corpus.valid),
        vocab: vocab.clone(),
        dir: corpus.dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resumed_run_keeps_every_saved_option_unless_given() {
        let old = TrainOptions {
            epochs: 7,
            batch_size: 16,
            threads: 2,
            state_every: 1,
            ..TrainOptions::default()
        };
        // Nothing given: the run as it was (the issue: --state-every 1 fell back to 100).
        let (o, notes) = resumed_options(&old, &GivenOptions::default(), true);
        assert_eq!(o, old);
        assert!(notes.is_empty());
        // Epochs and saving: said, still bit-identical.
        let given = GivenOptions {
            epochs: Some(12),
            state_every: Some(5),
            ..GivenOptions::default()
        };
        let (o, notes) = resumed_options(&old, &given, true);
        assert_eq!((o.epochs, o.state_every, o.batch_size), (12, 5, 16));
        assert_eq!(
            notes,
            ["note: resuming with --epochs 12 (was 7), --state-every 5 (was 1)"]
        );
        // A trajectory option: said, and that the run is no longer bit-identical.
        let given = GivenOptions {
            threads: Some(1),
            batch_size: Some(16),
            ..GivenOptions::default()
        };
        let (o, notes) = resumed_options(&old, &given, true);
        assert_eq!(o.threads, 1);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("--threads 1 (was 2)") && !notes[0].contains("batch"));
        // Without saved state nothing is bit-identical to begin with.
        assert_eq!(resumed_options(&old, &given, false).1.len(), 1);
    }

    #[test]
    fn a_corpus_is_renumbered_or_its_unknown_characters_named() {
        let corpus = TokenCorpus {
            dir: "c".into(),
            vocab: Vocab::new(vec!['a', 'b', 'c']).unwrap(),
            train: vec![vec![0, 1, 2]],
            valid: vec![vec![2]],
        };
        let model = Vocab::new(vec!['c', 'x', 'a', 'b']).unwrap();
        let r = remap_corpus(corpus.clone(), &model).unwrap();
        assert_eq!(r.train, vec![vec![2, 3, 0]]);
        assert_eq!(r.valid, vec![vec![0]]);
        assert_eq!(r.vocab, model);
        let small = Vocab::new(vec!['a']).unwrap();
        assert!(matches!(
            remap_corpus(corpus, &small),
            Err(crate::LmError::MissingCharacters(m)) if m == "bc"
        ));
    }
}
