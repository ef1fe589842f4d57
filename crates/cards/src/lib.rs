//! Trading-card corpora: reading card data, the seed's one-line encoding,
//! decoding generated lines back into cards and judging them.
//! Knows nothing of neural networks.
