//! The policy of `train --resume`: which options a resumed run keeps, and
//! how a corpus numbered differently from the model (an imported seed
//! model) is re-encoded in the model's numbering.

use crate::char_vocab::Vocab;
use crate::run::TrainOptions;
use crate::token_corpus::TokenCorpus;

/// The options a resumed run trains with. With its saved state, everything
/// but the number of epochs (`epochs`, else the run's own), how often to
/// save the state and the thread count stays as the run had it, so that
/// it continues exactly; without state (a shipped or imported model) the
/// options given now apply. The notes say what the user should know.
pub fn resumed_options(
    old: &TrainOptions,
    given: &TrainOptions,
    epochs: Option<usize>,
    had_state: bool,
) -> (TrainOptions, Vec<String>) {
    if !had_state {
        return (given.clone(), Vec::new());
    }
    let mut notes = Vec::new();
    if given.threads != old.threads {
        notes.push(format!(
            "note: resuming with {} threads instead of {}: the run stays correct but not bit-identical",
            given.threads, old.threads
        ));
    }
    let options = TrainOptions {
        epochs: epochs.unwrap_or(old.epochs),
        state_every: given.state_every,
        threads: given.threads,
        ..old.clone()
    };
    (options, notes)
}

/// `corpus` with its token ids translated into `vocab`'s numbering, or the
/// characters of the corpus that `vocab` lacks.
pub fn remap_corpus(corpus: TokenCorpus, vocab: &Vocab) -> Result<TokenCorpus, String> {
    let missing: String = corpus
        .vocab
        .chars()
        .iter()
        .filter(|c| vocab.id(**c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(missing);
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
    fn a_resumed_run_keeps_its_options_but_epochs_saving_and_threads() {
        let old = TrainOptions {
            epochs: 7,
            batch_size: 16,
            threads: 2,
            ..TrainOptions::default()
        };
        let given = TrainOptions {
            epochs: 10,
            batch_size: 64,
            threads: 1,
            state_every: 5,
            ..TrainOptions::default()
        };
        let (o, notes) = resumed_options(&old, &given, None, true);
        assert_eq!(
            (o.epochs, o.batch_size, o.threads, o.state_every),
            (7, 16, 1, 5)
        );
        assert_eq!(notes.len(), 1, "a thread change is noted");
        let (o, _) = resumed_options(&old, &given, Some(12), true);
        assert_eq!(o.epochs, 12);
        // No state: the options given now.
        let (o, notes) = resumed_options(&old, &given, None, false);
        assert_eq!(o, given);
        assert!(notes.is_empty());
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
        assert_eq!(remap_corpus(corpus, &small).unwrap_err(), "bc");
    }
}
