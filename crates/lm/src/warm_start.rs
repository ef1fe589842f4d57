//! A new run's weights taken from a trained model whose vocabulary differs: the
//! LSTM and dense weights as they are, the embedding (and an untied output) row by
//! row for every character both vocabularies know, fresh initialisation for the
//! characters only the new vocabulary has.
//!
//! Why: a corpus in a richer encoding (new markers, new symbols) can start from a
//! model trained on a poorer one instead of from random weights; everything the old
//! model learned about the characters they share carries over.

use crate::char_vocab::Vocab;
use crate::config::ModelConfig;
use crate::model::Model;

/// What the warm start carried over.
#[derive(Clone, Debug, PartialEq)]
pub struct WarmStart {
    /// Parameters in `ParamLayout::new(new_config)` order.
    pub params: Vec<f32>,
    /// Characters of the new vocabulary whose rows came from the old model.
    pub shared: usize,
    /// Characters only the new vocabulary has (freshly initialised rows).
    pub new_chars: Vec<char>,
}

/// The weights of `old` (vocabulary `old_vocab`) arranged for a model of
/// `new_config` over `new_vocab`; rows of new characters are initialised as a fresh
/// model of `seed` would be. The two configurations must agree on everything but the
/// vocabulary size.
pub fn warm_start(
    old: &Model<f32>,
    old_vocab: &Vocab,
    new_config: &ModelConfig,
    new_vocab: &Vocab,
    seed: u64,
) -> Result<WarmStart, String> {
    let o = &old.config;
    let n = new_config;
    for (what, a, b) in [
        ("hidden size", o.hidden, n.hidden),
        ("layers", o.layers, n.layers),
        ("tied output", usize::from(o.tied), usize::from(n.tied)),
    ] {
        if a != b {
            return Err(format!(
                "the model to start from has {what} {a}, the new run {b}"
            ));
        }
    }
    if n.vocab_size != new_vocab.len() {
        return Err(format!(
            "the new vocabulary has {} characters, the configuration {}",
            new_vocab.len(),
            n.vocab_size
        ));
    }
    let fresh = Model::<f32>::new(new_config.clone(), seed);
    let mut params = fresh.params;
    let h = n.hidden;
    // Old row of each new character, when the old model has one (an imported
    // seed vocabulary may list one more character than the embedding has rows).
    let old_rows = o.vocab_size;
    let row_of: Vec<Option<usize>> = new_vocab
        .chars()
        .iter()
        .map(|&c| {
            old_vocab
                .id(c)
                .map(|id| id as usize)
                .filter(|&id| id < old_rows)
        })
        .collect();
    for spec in &fresh.layout.tensors {
        let from = old
            .layout
            .get(&spec.name)
            .ok_or_else(|| format!("the model to start from has no tensor {}", spec.name))?;
        let src = &old.params[from.range()];
        let dst = &mut params[spec.range()];
        match spec.name.as_str() {
            // [V, H]: one row per character.
            "embedding" => {
                for (new_row, old_row) in row_of.iter().enumerate() {
                    if let Some(r) = old_row {
                        dst[new_row * h..(new_row + 1) * h]
                            .copy_from_slice(&src[r * h..(r + 1) * h]);
                    }
                }
            }
            // [H, V]: one column per character.
            "output.kernel" => {
                let v_new = n.vocab_size;
                for i in 0..h {
                    for (col, old_col) in row_of.iter().enumerate() {
                        if let Some(c) = old_col {
                            dst[i * v_new + col] = src[i * old_rows + c];
                        }
                    }
                }
            }
            // [V].
            "output.bias" => {
                for (col, old_col) in row_of.iter().enumerate() {
                    if let Some(c) = old_col {
                        dst[col] = src[*c];
                    }
                }
            }
            _ => {
                if from.shape != spec.shape {
                    return Err(format!(
                        "tensor {}: shape {:?} in the model to start from, {:?} in the new run",
                        spec.name, from.shape, spec.shape
                    ));
                }
                dst.copy_from_slice(src);
            }
        }
    }
    let new_chars: Vec<char> = new_vocab
        .chars()
        .iter()
        .zip(&row_of)
        .filter(|(_, r)| r.is_none())
        .map(|(&c, _)| c)
        .collect();
    Ok(WarmStart {
        params,
        shared: new_vocab.len() - new_chars.len(),
        new_chars,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vocab_size: usize, tied: bool) -> ModelConfig {
        ModelConfig {
            vocab_size,
            hidden: 6,
            layers: 2,
            tied,
            ..ModelConfig::seed(vocab_size)
        }
    }

    #[test]
    fn shared_characters_keep_their_rows_and_the_rest_is_copied() {
        for tied in [true, false] {
            let old_vocab = Vocab::new(vec!['Ⓔ', 'a', 'b', 'c']).unwrap();
            let new_vocab = Vocab::new(vec!['Ⓔ', 'c', 'x', 'a', 'b']).unwrap();
            let old = Model::<f32>::new(config(4, tied), 1);
            let ws = warm_start(&old, &old_vocab, &config(5, tied), &new_vocab, 2).unwrap();
            assert_eq!(ws.shared, 4);
            assert_eq!(ws.new_chars, vec!['x']);
            let new = Model::from_params(config(5, tied), ws.params).unwrap();
            let h = 6;
            let emb = |m: &Model<f32>, row: usize| {
                let s = m.layout.get("embedding").unwrap().offset;
                m.params[s + row * h..s + (row + 1) * h].to_vec()
            };
            // 'c' was row 3, is row 1; 'a' row 1 → 3.
            assert_eq!(emb(&new, 1), emb(&old, 3));
            assert_eq!(emb(&new, 3), emb(&old, 1));
            assert_eq!(emb(&new, 0), emb(&old, 0));
            // 'x' is new: fresh, not a copy of any old row.
            assert!((0..4).all(|r| emb(&new, 2) != emb(&old, r)));
            let range = |m: &Model<f32>, name: &str| m.layout.get(name).unwrap().range();
            for name in ["lstm.0.kernel", "lstm.1.recurrent_kernel", "dense.bias"] {
                assert_eq!(
                    new.params[range(&new, name)],
                    old.params[range(&old, name)],
                    "{name}"
                );
            }
            if !tied {
                let k_new = range(&new, "output.kernel").start;
                let k_old = range(&old, "output.kernel").start;
                // Row 2 of [H, V], character 'a': column 3 new, column 1 old.
                assert_eq!(new.params[k_new + 2 * 5 + 3], old.params[k_old + 2 * 4 + 1]);
            }
        }
    }

    #[test]
    fn another_architecture_is_refused() {
        let vocab = Vocab::new(vec!['Ⓔ', 'a']).unwrap();
        let old = Model::<f32>::new(config(2, true), 1);
        let wide = ModelConfig {
            hidden: 8,
            ..config(2, true)
        };
        let err = warm_start(&old, &vocab, &wide, &vocab, 0).unwrap_err();
        assert!(err.contains("hidden size 6"), "{err}");
    }
}
