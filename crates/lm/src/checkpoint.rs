//! Weights on disk: safetensors files of the parameter block's named
//! tensors (see [`crate::params`] for names and layouts), written atomically.

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
pub fn f16_rounding(block: &[f32]) -> Result<f32, String> {
    let mut worst = 0f32;
    for (i, &x) in block.iter().enumerate() {
        let h = half::f16::from_f32(x);
        if !x.is_finite() || h.is_infinite() {
            return Err(format!("weight {i} ({x}) does not fit in f16"));
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
) -> Result<(), String> {
    let out = serialize_blocks(layout, blocks, precision, metadata)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    write_file_atomically(path, &out).map_err(|e| e.to_string())
}

/// The safetensors bytes of named tensors (`prefix` + layout name) of one or
/// more blocks.
pub fn serialize_blocks(
    layout: &ParamLayout,
    blocks: &[(&str, &[f32])],
    precision: Precision,
    metadata: HashMap<String, String>,
) -> Result<Vec<u8>, String> {
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
    safetensors::serialize(views, Some(metadata)).map_err(|e| e.to_string())
}

/// Reads the tensors `prefix` + layout name into a block, checking shapes.
/// Accepts f32 and f16 files.
pub fn load_block(path: &Path, layout: &ParamLayout, prefix: &str) -> Result<Vec<f32>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    load_block_from_bytes(&bytes, layout, prefix).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn load_block_from_bytes(
    bytes: &[u8],
    layout: &ParamLayout,
    prefix: &str,
) -> Result<Vec<f32>, String> {
    let st =
        SafeTensors::deserialize(bytes).map_err(|e| format!("not a safetensors file ({e})"))?;
    let mut block = vec![0.0f32; layout.total];
    for t in &layout.tensors {
        let name = format!("{prefix}{}", t.name);
        let view = st
            .tensor(&name)
            .map_err(|_| format!("tensor {name} is missing"))?;
        if view.shape() != t.shape.as_slice() {
            return Err(format!(
                "tensor {name} has shape {:?}, the model needs {:?}",
                view.shape(),
                t.shape
            ));
        }
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
            other => return Err(format!("tensor {name} is {other:?}, expected F32 or F16")),
        }
    }
    Ok(block)
}

/// The metadata of a safetensors file.
pub fn read_metadata(path: &Path) -> Result<HashMap<String, String>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (_, meta) = SafeTensors::read_metadata(&bytes)
        .map_err(|e| format!("{}: not a safetensors file ({e})", path.display()))?;
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
        assert!(err.contains("has shape"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
