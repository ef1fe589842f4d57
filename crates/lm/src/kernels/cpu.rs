//! Which kernels run on this processor: decided once per process from the
//! CPU's features (and `CARDLM_GEMM` for side-by-side benchmarks), never from
//! timings, so that a run and its resumption on the same machine always use
//! the same kernels and give the same bits. Also the precision of the
//! products (f32 or bf16 with f32 accumulation), set once by the commands.

use crate::LmError;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// An instruction set a micro-kernel is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Isa {
    /// Plain Rust, vectorised by the compiler as it can.
    Portable,
    /// AVX2 and FMA, 6 x 16 tiles.
    Avx2,
    /// AVX-512F, 12 x 32 tiles.
    Avx512,
}

/// Who computes the large f32 products (input projections, gradients).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Large {
    /// [`super::blocked`] with the given micro-kernel.
    Blocked(Isa),
    /// The `matrixmultiply` crate.
    Matrixmultiply,
}

/// The processor features the kernels care about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Features {
    pub avx2_fma: bool,
    pub avx512f: bool,
    pub avx512_bf16: bool,
}

impl Features {
    /// Detected on this processor (once).
    pub fn here() -> Features {
        static HERE: OnceLock<Features> = OnceLock::new();
        *HERE.get_or_init(|| {
            #[cfg(target_arch = "x86_64")]
            {
                let avx512f = is_x86_feature_detected!("avx512f");
                Features {
                    avx2_fma: is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
                    avx512f,
                    avx512_bf16: avx512f && is_x86_feature_detected!("avx512bf16"),
                }
            }
            #[cfg(not(target_arch = "x86_64"))]
            Features::default()
        })
    }

    /// The best instruction set with a kernel here.
    pub fn best_isa(&self) -> Isa {
        if self.avx512f {
            Isa::Avx512
        } else if self.avx2_fma {
            Isa::Avx2
        } else {
            Isa::Portable
        }
    }

    fn has(&self, isa: Isa) -> bool {
        match isa {
            Isa::Portable => true,
            Isa::Avx2 => self.avx2_fma,
            Isa::Avx512 => self.avx512f,
        }
    }
}

/// The kernels of the f32 products.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Choice {
    /// Per-step products on a packed `U` (recurrent step, sampling).
    pub packed: Isa,
    /// Large products.
    pub large: Large,
}

/// The kernels for `features`, given `CARDLM_GEMM`'s value: unset or `auto`
/// picks the widest instruction set the processor has; `avx512`, `avx2` or
/// `portable` force one (an error where the processor lacks it);
/// `matrixmultiply` runs the large products on that crate.
pub fn choose(features: Features, gemm: Option<&str>) -> Result<Choice, LmError> {
    let best = features.best_isa();
    let blocked = |isa: Isa| {
        if isa == Isa::Portable {
            // The blocked layout has no portable kernel: matrixmultiply is
            // the portable large product.
            Large::Matrixmultiply
        } else {
            Large::Blocked(isa)
        }
    };
    let forced = |isa: Isa| {
        if features.has(isa) {
            Ok(Choice {
                packed: isa,
                large: blocked(isa),
            })
        } else {
            Err(LmError::Unsupported {
                what: format!("CARDLM_GEMM={}", name(isa)),
                reason: "this processor lacks the instructions".into(),
            })
        }
    };
    match gemm.unwrap_or("auto") {
        "auto" | "" => forced(best),
        "avx512" => forced(Isa::Avx512),
        "avx2" => forced(Isa::Avx2),
        "portable" => forced(Isa::Portable),
        "matrixmultiply" => Ok(Choice {
            packed: best,
            large: Large::Matrixmultiply,
        }),
        other => Err(LmError::invalid_option(
            format!("CARDLM_GEMM={other:?}"),
            "is not one of auto, avx512, avx2, portable, matrixmultiply",
        )),
    }
}

fn name(isa: Isa) -> &'static str {
    match isa {
        Isa::Portable => "portable",
        Isa::Avx2 => "avx2",
        Isa::Avx512 => "avx512",
    }
}

/// The kernels of this process: [`choose`] on this processor and
/// `CARDLM_GEMM`. A bad `CARDLM_GEMM` is reported once on stderr and the
/// automatic choice used (the variable is a benchmarking aid, not an input).
pub fn choice() -> Choice {
    static CHOICE: OnceLock<Choice> = OnceLock::new();
    *CHOICE.get_or_init(|| {
        let var = std::env::var("CARDLM_GEMM").ok();
        choose(Features::here(), var.as_deref()).unwrap_or_else(|e| {
            eprintln!("warning: {e}; choosing by the processor's features");
            choose(Features::here(), None).expect("the automatic choice always exists")
        })
    })
}

/// The precision of the matrix products. Weights, cell state, gradients and
/// Adam stay f32 in both; bf16 rounds the two operands of every product to
/// bf16 and accumulates in f32.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    #[default]
    F32,
    Bf16,
}

impl Precision {
    /// Whether this processor can run the products in this precision: bf16
    /// needs AVX512_BF16 (`vdpbf16ps`), f32 runs everywhere.
    pub fn supported(self) -> bool {
        self == Precision::F32 || Features::here().avx512_bf16
    }
}

impl std::str::FromStr for Precision {
    type Err = LmError;
    fn from_str(s: &str) -> Result<Self, LmError> {
        match s {
            "f32" => Ok(Precision::F32),
            "bf16" => Ok(Precision::Bf16),
            other => Err(LmError::UnknownValue {
                what: "precision",
                value: other.to_string(),
                expected: "f32 or bf16",
            }),
        }
    }
}

impl std::fmt::Display for Precision {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(match self {
            Precision::F32 => "f32",
            Precision::Bf16 => "bf16",
        })
    }
}

static PRECISION: AtomicU8 = AtomicU8::new(0);

/// Sets the precision of every f32 product of this process. bf16 needs
/// AVX512_BF16 (`vdpbf16ps`); without it this is an error, since emulating
/// it would be slower than f32 and gain nothing.
pub fn set_precision(p: Precision) -> Result<(), LmError> {
    if !p.supported() {
        return Err(LmError::Unsupported {
            what: "--precision bf16".into(),
            reason: "needs a processor with AVX512_BF16 (this one lacks it); use f32".into(),
        });
    }
    PRECISION.store(p as u8, Ordering::Relaxed);
    Ok(())
}

/// The precision set by [`set_precision`] (f32 unless set).
#[inline]
pub fn precision() -> Precision {
    if PRECISION.load(Ordering::Relaxed) == Precision::Bf16 as u8 {
        Precision::Bf16
    } else {
        Precision::F32
    }
}

/// The precision a new training run uses when none is asked for: bf16 where
/// the processor has AVX512_BF16, f32 elsewhere. On the seed configuration
/// bf16's validation loss after 2 epochs was within 1% of f32's with the same
/// seed (+0.92% with seed 0 on a Zen 4, +0.26% with seed 1 on a Zen 5) at
/// 1.6x f32's speed (docs/benchmarks.md). Sampling stays f32 unless asked,
/// so that a seed gives the same card on every processor.
pub fn default_precision() -> Precision {
    if Precision::Bf16.supported() {
        Precision::Bf16
    } else {
        Precision::F32
    }
}

/// The processor's model name (`/proc/cpuinfo`), or "unknown".
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The size in bytes of this core's level-2 cache (sysfs), if known.
pub fn l2_bytes() -> Option<usize> {
    static L2: OnceLock<Option<usize>> = OnceLock::new();
    *L2.get_or_init(|| {
        let s = std::fs::read_to_string("/sys/devices/system/cpu/cpu0/cache/index2/size").ok()?;
        let s = s.trim();
        let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
        let n: usize = digits.parse().ok()?;
        Some(match unit {
            "K" => n << 10,
            "M" => n << 20,
            _ => n,
        })
    })
}

/// One line for benchmarks and logs: the processor, its features and the
/// kernels and precision in use.
pub fn describe() -> String {
    let f = Features::here();
    let c = choice();
    let mut feats = Vec::new();
    if f.avx2_fma {
        feats.push("avx2+fma");
    }
    if f.avx512f {
        feats.push("avx512f");
    }
    if f.avx512_bf16 {
        feats.push("avx512_bf16");
    }
    let feats = if feats.is_empty() {
        "none of avx2/avx512".to_string()
    } else {
        feats.join(", ")
    };
    let large = match c.large {
        Large::Blocked(isa) => format!("blocked {}", name(isa)),
        Large::Matrixmultiply => "matrixmultiply".into(),
    };
    let l2 = l2_bytes().map_or("?".into(), |b| format!("{} KiB", b >> 10));
    format!(
        "cpu: {} ({feats}; L2 {l2}); kernels: packed {}, large {large}; products {}",
        cpu_model(),
        name(c.packed),
        precision()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const AVX2_ONLY: Features = Features {
        avx2_fma: true,
        avx512f: false,
        avx512_bf16: false,
    };
    const AVX512_BF16: Features = Features {
        avx2_fma: true,
        avx512f: true,
        avx512_bf16: true,
    };

    #[test]
    fn the_widest_instruction_set_is_chosen_and_never_one_the_processor_lacks() {
        let c = choose(AVX2_ONLY, None).unwrap();
        assert_eq!(c.packed, Isa::Avx2);
        assert_eq!(c.large, Large::Blocked(Isa::Avx2));
        let c = choose(AVX512_BF16, Some("auto")).unwrap();
        assert_eq!(c.packed, Isa::Avx512);
        assert_eq!(c.large, Large::Blocked(Isa::Avx512));
        let c = choose(Features::default(), None).unwrap();
        assert_eq!(c.packed, Isa::Portable);
        assert_eq!(c.large, Large::Matrixmultiply);
        // Forcing a missing instruction set is refused, a present one obeyed.
        assert!(choose(AVX2_ONLY, Some("avx512")).is_err());
        assert!(choose(Features::default(), Some("avx2")).is_err());
        assert_eq!(choose(AVX512_BF16, Some("avx2")).unwrap().packed, Isa::Avx2);
        let mm = choose(AVX2_ONLY, Some("matrixmultiply")).unwrap();
        assert_eq!((mm.packed, mm.large), (Isa::Avx2, Large::Matrixmultiply));
        assert!(choose(AVX2_ONLY, Some("mkl"))
            .unwrap_err()
            .to_string()
            .contains("mkl"));
    }

    #[test]
    fn this_processor_gets_a_kernel_it_has() {
        let here = Features::here();
        let c = choice();
        assert!(here.has(c.packed));
        if let Large::Blocked(isa) = c.large {
            assert!(here.has(isa) && isa != Isa::Portable);
        }
        eprintln!("{}", describe());
    }

    #[test]
    fn precisions_parse_and_bf16_is_refused_without_the_instruction() {
        assert_eq!("bf16".parse::<Precision>().unwrap(), Precision::Bf16);
        assert_eq!("f32".parse::<Precision>().unwrap(), Precision::F32);
        assert!("f16".parse::<Precision>().is_err());
        if !Features::here().avx512_bf16 {
            assert!(set_precision(Precision::Bf16).is_err());
            assert_eq!(precision(), Precision::F32);
        }
        // Setting f32 always works.
        set_precision(Precision::F32).unwrap();
        assert_eq!(precision(), Precision::F32);
        // The training default is bf16 exactly where the instruction is.
        let bf16 = Features::here().avx512_bf16;
        assert_eq!(default_precision() == Precision::Bf16, bf16);
    }
}
