//! A character-level LSTM language model (the seed's network) with explicit
//! forward and backward passes. Knows nothing of Magic.
