//! Step 2 of an import, roles: which ordered layer is the embedding, which
//! are LSTMs, the dense layer and (untied) the output layer, told by the
//! names of their weights.

use super::h5::{Layer, Weight};
use super::order::Ordered;
use crate::error::{LmError, Result};

/// The role of one layer with weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    Embedding,
    Lstm,
    Dense,
}

impl Role {
    /// The Keras class of a layer in this role.
    pub fn keras_class(self) -> &'static str {
        match self {
            Role::Embedding => "Embedding",
            Role::Lstm => "LSTM",
            Role::Dense => "Dense",
        }
    }
}

/// The role told by a layer's weight names, whatever their scope.
pub(super) fn role_of(layer: &Layer) -> Option<Role> {
    let mut names: Vec<&str> = layer.weights.iter().map(Weight::base_name).collect();
    names.sort_unstable();
    match names.as_slice() {
        ["embeddings"] => Some(Role::Embedding),
        ["bias", "kernel", "recurrent_kernel"] => Some(Role::Lstm),
        ["bias", "kernel"] => Some(Role::Dense),
        _ => None,
    }
}

/// The weight of `layer` named `base` (`kernel`); [`role_of`] checked it is there.
pub(super) fn weight<'a>(layer: &'a Layer, base: &str) -> &'a Weight {
    layer
        .weights
        .iter()
        .find(|w| w.base_name() == base)
        .expect("role_of checked the weight names")
}

/// The seed's network, layer by layer.
pub(super) struct Stack<'f> {
    pub embedding: &'f Layer,
    pub lstms: Vec<&'f Layer>,
    pub dense: &'f Layer,
    /// The untied output layer; `None` for a tied model (the seed's).
    pub output: Option<&'f Layer>,
}

/// The roles of the ordered layers, which must be the seed's sequence: an
/// embedding, one or more LSTMs, a dense layer and an optional output layer.
pub(super) fn assign<'f>(ordered: &Ordered<'f, '_>, weights_name: &str) -> Result<Stack<'f>> {
    let layers = &ordered.layers;
    let roles: Vec<Role> = layers
        .iter()
        .map(|l| {
            role_of(l).ok_or_else(|| {
                LmError::corrupt(
                    weights_name,
                    format!(
                        "layer {} has weights {} : not an embedding, LSTM or dense layer",
                        l.name,
                        l.weights
                            .iter()
                            .map(|w| w.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
        })
        .collect::<Result<_>>()?;
    let n_lstm = roles.iter().filter(|&&r| r == Role::Lstm).count();
    // Checked: a file of LSTMs only (or of nothing) has no embedding to subtract
    // (found by fuzzing: an overflow panic in debug builds).
    let n_dense = roles.len().saturating_sub(n_lstm + 1);
    let seed_like = roles.first() == Some(&Role::Embedding)
        && n_lstm >= 1
        && roles[1..=n_lstm].iter().all(|&r| r == Role::Lstm)
        && (n_dense == 1 || n_dense == 2)
        && roles[1 + n_lstm..].iter().all(|&r| r == Role::Dense);
    if !seed_like {
        let found = layers
            .iter()
            .zip(&roles)
            .map(|(l, r)| format!("{} ({r:?})", l.name))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(LmError::corrupt(
            weights_name,
            format!(
                "expected the seed's layers (an embedding, LSTMs, a dense layer), found {}",
                if found.is_empty() {
                    "no layers with weights".to_string()
                } else {
                    found
                }
            ),
        ));
    }
    Ok(Stack {
        embedding: layers[0],
        lstms: layers[1..=n_lstm].to_vec(),
        dense: layers[1 + n_lstm],
        output: layers.get(2 + n_lstm).copied(),
    })
}
