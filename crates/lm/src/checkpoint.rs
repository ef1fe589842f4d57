//! Weights on disk: safetensors files of the parameter block's named
//! tensors (see [`crate::params`] for names and layouts), written atomically.

use crate::error::{LmError, Result};
use crate::params::ParamLayout;
use cardlm_files::write_file_atomically;
use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use std::collections::HashMap;
use std::path::Path;

/// Storage precision of a weights file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    F32,
    /// Half the size; enough for inference, not for resuming training.
    F16,
}

/// Whether weights survive storage in f16: the largest rounding error, or
/// why they cannot be stored (a weight beyond f16's range or not finite).
pub fn f16_rounding(block: &[f32]) -> Result<f32> {
    let mut worst = 0f32;
    for (i, &x) in block.iter().enumerate() {
        let h = half::f16::from_f32(x);
        if !x.is_finite() || h.is_infinite() {
            return Err(LmError::format(format!(
                "weight {i} ({x}) does not fit in f16"
            )));
        }
        worst = worst.max((h.to_f32() - x).abs());
    }
    Ok(worst)
}

/// Writes named tensors (`prefix` + layout name) of one or more blocks to a
/// safetensors file, atomically.
pub fn save_blocks(
    path: &Path,
    layout: &ParamLayout,
    blocks: &[(&str, &[f32])],
    precision: Precision,
    metadata: HashMap<String, String>,
) -> Result<()> {
    let out = serialize_blocks(layout, blocks, precision, metadata).map_err(|e| e.in_file(path))?;
    Ok(write_file_atomically(path, &out)?)
}

/// The safetensors bytes of named tensors (`prefix` + layout name) of one or
/// more blocks.
pub fn serialize_blocks(
    layout: &ParamLayout,
    blocks: &[(&str, &[f32])],
    precision: Precision,
    metadata: HashMap<String, String>,
) -> Result<Vec<u8>> {
    let mut bytes: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
    for (prefix, block) in blocks {
        assert_eq!(block.len(), layout.total);
        for t in &layout.tensors {
            let data = &block[t.range()];
            let raw: Vec<u8> = match precision {
                Precision::F32 => data.iter().flat_map(|x| x.to_le_bytes()).collect(),
                Precision::F16 => data
                    .iter()
                    .flat_map(|x| half::f16::from_f32(*x).to_le_bytes())
                    .collect(),
            };
            bytes.push((format!("{prefix}{}", t.name), t.shape.clone(), raw));
        }
    }
    let dtype = match precision {
        Precision::F32 => Dtype::F32,
        Precision::F16 => Dtype::F16,
    };
    let views: Vec<(String, TensorView)> = bytes
        .iter()
        .map(|(n, s, b)| {
            (
                n.clone(),
                TensorView::new(dtype, s.clone(), b).expect("sizes match"),
            )
        })
        .collect();
    safetensors::serialize(views, Some(metadata)).map_err(|e| LmError::format(e.to_string()))
}

/// Reads the tensors `prefix` + layout name into a block, checking shapes.
/// Accepts f32 and f16 files.
pub fn load_block(path: &Path, layout: &ParamLayout, prefix: &str) -> Result<Vec<f32>> {
    use std::io::Read;
    // The file may hold other blocks too (a state file: weights and Adam's moments),
    // but never more than a few times the layout in f32 plus its header: reading is
    // bounded by that, so a huge or endless file is refused before it fills memory.
    let most = (layout.total as u64)
        .saturating_mul(4 * 4)
        .saturating_add(64 << 20);
    let file = std::fs::File::open(path).map_err(|e| LmError::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(most + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LmError::io(path, e))?;
    if bytes.len() as u64 > most {
        return Err(LmError::corrupt(
            path,
            format!(
                "larger than {most} bytes, far more than the model's {} parameters need",
                layout.total
            ),
        ));
    }
    load_block_from_bytes(&bytes, layout, prefix).map_err(|e| e.in_file(path))
}

/// Refuses a block holding NaN or an infinity, naming the tensor: such a model
/// would only ever sample the padding symbol (empty cards judged "novel").
pub fn check_finite(block: &[f32], layout: &ParamLayout, prefix: &str) -> Result<()> {
    for t in &layout.tensors {
        if let Some((index, value)) = block[t.range()]
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_finite())
        {
            return Err(LmError::NotFinite {
                path: None,
                tensor: format!("{prefix}{}", t.name),
                value: *value,
                index,
            });
        }
    }
    Ok(())
}

pub fn load_block_from_bytes(bytes: &[u8], layout: &ParamLayout, prefix: &str) -> Result<Vec<f32>> {
    let st = SafeTensors::deserialize(bytes)
        .map_err(|e| LmError::format(format!("not a safetensors file ({e})")))?;
    // Every shape against the configuration first: a config.json that claims a huge
    // model is refused by its weights before a block of its size is allocated.
    let mut views = Vec::with_capacity(layout.tensors.len());
    for t in &layout.tensors {
        let name = format!("{prefix}{}", t.name);
        let view = st
            .tensor(&name)
            .map_err(|_| LmError::format(format!("tensor {name} is missing")))?;
        if view.shape() != t.shape.as_slice() {
            return Err(LmError::UnexpectedShape {
                path: None,
                tensor: format!("tensor {name}"),
                expected: t.shape.clone(),
                got: view.shape().to_vec(),
                why: "the model's config.json needs it".into(),
            });
        }
        views.push((name, view));
    }
    let mut block = vec![0.0f32; layout.total];
    for (t, (name, view)) in layout.tensors.iter().zip(views) {
        let out = &mut block[t.range()];
        match view.dtype() {
            Dtype::F32 => {
                for (o, c) in out.iter_mut().zip(view.data().chunks_exact(4)) {
                    *o = f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                }
            }
            Dtype::F16 => {
                for (o, c) in out.iter_mut().zip(view.data().chunks_exact(2)) {
                    *o = half::f16::from_le_bytes([c[0], c[1]]).to_f32();
                }
            }
            other => {
                return Err(LmError::format(format!(
                    "tensor {name} is {other:?}, expected F32 or F16"
                )))
            }
        }
    }
    check_finite(&block, layout, prefix)?;
    Ok(block)
}

/// The metadata of a safetensors file.
pub fn read_metadata(path: &Path) -> Result<HashMap<String, String>> {
    let bytes = std::fs::read(path).map_err(|e| LmError::io(path, e))?;
    let (_, meta) = SafeTensors::read_metadata(&bytes)
        .map_err(|e| LmError::corrupt(path, format!("not a safetensors file ({e})")))?;
    Ok(meta.metadata().clone().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ModelConfig;

    #[test]
    fn blocks_round_trip_in_both_precisions_and_shapes_are_checked() {
        let cfg = ModelConfig {
            hidden: 3,
            ..ModelConfig::seed(5)
        };
        let layout = ParamLayout::new(&cfg);
        let block: Vec<f32> = (0..layout.total).map(|i| i as f32 * 0.25).collect();
        let dir = std::env::temp_dir().join(format!("cardlm-ckpt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for precision in [Precision::F32, Precision::F16] {
            let path = dir.join("w.safetensors");
            save_blocks(&path, &layout, &[("", &block)], precision, HashMap::new()).unwrap();
            assert_eq!(load_block(&path, &layout, "").unwrap(), block);
        }
        let other = ParamLayout::new(&ModelConfig { hidden: 4, ..cfg });
        let err = load_block(&dir.join("w.safetensors"), &other, "").unwrap_err();
        assert!(
            matches!(&err, LmError::UnexpectedShape { path: Some(p), .. } if p.ends_with("w.safetensors")),
            "{err}"
        );
        assert!(err.to_string().contains("config.json needs"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
