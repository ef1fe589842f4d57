//! Memory a model, a training run or a sampler will take, computed with overflow
//! checks from the configuration *before* anything is allocated, and compared with
//! what the process may use. A request that cannot fit is a one-line error rather
//! than an abort on a failed allocation.

use crate::config::ModelConfig;

/// Bytes of one `f32`.
const F32: u64 = 4;

/// `a · b · …` in `u64`, `None` on overflow.
fn product(factors: &[u64]) -> Option<u64> {
    factors.iter().try_fold(1u64, |acc, &f| acc.checked_mul(f))
}

/// Parameters of the model (the same sum as [`crate::params::ParamLayout`] takes),
/// `None` when the count does not fit in 64 bits.
pub fn param_count(cfg: &ModelConfig) -> Option<u64> {
    let (v, h, l) = (cfg.vocab_size as u64, cfg.hidden as u64, cfg.layers as u64);
    let embedding = product(&[v, h])?;
    // Each layer: kernel [H, 4H], recurrent [H, 4H], bias [4H].
    let lstm_layer = product(&[h, 4, h])?
        .checked_mul(2)?
        .checked_add(product(&[4, h])?)?;
    let lstm = lstm_layer.checked_mul(l)?;
    let dense = product(&[h, h])?.checked_add(h)?;
    let output = if cfg.tied {
        0
    } else {
        product(&[h, v])?.checked_add(v)?
    };
    embedding
        .checked_add(lstm)?
        .checked_add(dense)?
        .checked_add(output)
}

/// Bytes of the activations and gradients of one forward/backward pass over `rows`
/// positions of `sequences` sequences (see [`crate::model::Workspace`]).
pub fn workspace_bytes(cfg: &ModelConfig, rows: u64, sequences: u64) -> Option<u64> {
    let (v, h, l) = (cfg.vocab_size as u64, cfg.hidden as u64, cfg.layers as u64);
    // Per row: embedding and its mask (2H), per layer gates (4H) and five H-wide
    // buffers (9H), dense three (3H), logits (V), three scratch (3H).
    let per_row = product(&[l, 9, h])?
        .checked_add(product(&[8, h])?)?
        .checked_add(v)?;
    product(&[rows, per_row, F32])?.checked_add(product(&[sequences, h, F32])?)
}

/// Bytes of training: weights, Adam's two moments, one gradient block per worker and
/// one workspace per worker for batches of `batch_size` sequences of `max_len`.
pub fn training_bytes(
    cfg: &ModelConfig,
    batch_size: usize,
    max_len: usize,
    workers: usize,
) -> Option<u64> {
    let params = param_count(cfg)?;
    let workers = workers.max(1) as u64;
    let per_worker = (batch_size as u64).div_ceil(workers);
    let rows = per_worker.checked_mul(max_len as u64)?;
    let blocks = product(&[params, F32, 3u64.checked_add(workers)?])?;
    let workspaces = workspace_bytes(cfg, rows, per_worker)?.checked_mul(workers)?;
    blocks.checked_add(workspaces)
}

/// Bytes of sampling `batch` cards at once: the weights plus per-card state
/// (each layer's `h` and `c`, the gates, logits and scratch).
pub fn sampling_bytes(cfg: &ModelConfig, batch: usize) -> Option<u64> {
    let params = param_count(cfg)?;
    let (v, h, l) = (cfg.vocab_size as u64, cfg.hidden as u64, cfg.layers as u64);
    let per_card = product(&[l, 2, h])?
        .checked_add(product(&[8, h])?)?
        .checked_add(product(&[2, v])?)?;
    // Weights twice: the model and the sampler's packed copy.
    product(&[params, F32, 2])?.checked_add(product(&[batch as u64, per_card, F32])?)
}

/// The memory this process may use: the smaller of the machine's memory
/// (`MemTotal` in `/proc/meminfo`) and the address-space and data limits
/// (`ulimit -v`, `-d`), with the name of the one that binds. `None` when neither is
/// known (other systems): then only overflow is checked.
pub fn memory_limit() -> Option<(u64, &'static str)> {
    let mut best: Option<(u64, &'static str)> = None;
    let mut consider = |bytes: u64, what: &'static str| {
        if best.is_none_or(|(b, _)| bytes < b) {
            best = Some((bytes, what));
        }
    };
    if let Ok(text) = std::fs::read_to_string("/proc/meminfo") {
        let total = text
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            });
        if let Some(kb) = total {
            consider(kb.saturating_mul(1024), "the machine's memory");
        }
    }
    #[cfg(unix)]
    for (resource, what) in [
        (libc::RLIMIT_AS, "the address-space limit (ulimit -v)"),
        (libc::RLIMIT_DATA, "the data-size limit (ulimit -d)"),
    ] {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes one rlimit into the struct it is given.
        let ok = unsafe { libc::getrlimit(resource, &mut limit) } == 0;
        if ok && limit.rlim_cur != libc::RLIM_INFINITY {
            // rlim_t is u64 on Linux but not on every Unix.
            #[allow(clippy::unnecessary_cast)]
            consider(limit.rlim_cur as u64, what);
        }
    }
    best
}

/// `12.3 GB`-style figure for a message.
pub fn gigabytes(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else {
        format!("{:.0} MB", (bytes as f64 / 1e6).max(1.0))
    }
}

/// Refuses a request of `need` bytes (`None`: too large to count) that cannot fit
/// in `limit` (see [`memory_limit`]). `what` says what needs it, `lower` which
/// options make it smaller.
pub fn check_fits(
    what: &str,
    need: Option<u64>,
    limit: Option<(u64, &str)>,
    lower: &str,
) -> Result<(), crate::LmError> {
    let Some(need) = need else {
        return Err(crate::LmError::OutOfMemory(format!(
            "{what} would need more memory than can be counted in 64 bits; lower {lower}"
        )));
    };
    match limit {
        Some((limit, name)) if need > limit => Err(crate::LmError::OutOfMemory(format!(
            "{what} needs about {}, more than {name} ({}); lower {lower}",
            gigabytes(need),
            gigabytes(limit)
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamLayout;

    #[test]
    fn param_count_matches_the_layout_and_catches_overflow() {
        for cfg in [
            ModelConfig::seed(102),
            ModelConfig {
                tied: false,
                layers: 3,
                hidden: 7,
                ..ModelConfig::seed(11)
            },
        ] {
            assert_eq!(
                param_count(&cfg).unwrap(),
                ParamLayout::new(&cfg).total as u64
            );
        }
        let huge = ModelConfig {
            hidden: usize::MAX,
            ..ModelConfig::seed(usize::MAX)
        };
        assert_eq!(param_count(&huge), None);
    }

    #[test]
    fn requests_are_refused_with_what_and_how() {
        let cfg = ModelConfig {
            hidden: 8,
            ..ModelConfig::seed(60)
        };
        // The case: batch 1,000,000 of 256 positions.
        let need = training_bytes(&cfg, 1_000_000, 256, 2);
        assert!(need.unwrap() > 30_000_000_000);
        let err = check_fits(
            "training",
            need,
            Some((16 << 30, "the machine's memory")),
            "--batch-size",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("more than the machine's memory") && err.contains("--batch-size"),
            "{err}"
        );
        assert!(check_fits(
            "training",
            training_bytes(&cfg, 32, 256, 2),
            Some((1 << 30, "x")),
            "-"
        )
        .is_ok());
        let err = check_fits("x", None, None, "--hidden").unwrap_err();
        assert!(matches!(err, crate::LmError::OutOfMemory(_)));
        let err = err.to_string();
        assert!(err.contains("64 bits"), "{err}");
        assert!(memory_limit().is_some());
    }
}
