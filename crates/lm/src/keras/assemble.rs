//! Step 4 of an import, assembly: the checked layers' tensors into cardlm's
//! parameter block. Keras's tensor layouts are cardlm's: nothing is transposed.

use super::h5::Weight;
use super::roles::{weight, Stack};
use crate::config::ModelConfig;
use crate::error::{LmError, Result};
use crate::model::Model;
use crate::params::ParamLayout;

/// The model of `config` holding the stack's weights; refused when a weight
/// is not finite.
pub(super) fn assemble(
    stack: &Stack,
    config: ModelConfig,
    weights_name: &str,
) -> Result<Model<f32>> {
    config.validate().map_err(|e| e.in_file(weights_name))?;
    let layout = ParamLayout::new(&config);
    let mut params = vec![0.0f32; layout.total];
    let mut put = |name: &str, w: &Weight| {
        let spec = layout.get(name).expect("layout has the tensor");
        params[spec.range()].copy_from_slice(&w.data);
    };
    put("embedding", weight(stack.embedding, "embeddings"));
    for (l, layer) in stack.lstms.iter().enumerate() {
        put(&format!("lstm.{l}.kernel"), weight(layer, "kernel"));
        put(
            &format!("lstm.{l}.recurrent_kernel"),
            weight(layer, "recurrent_kernel"),
        );
        put(&format!("lstm.{l}.bias"), weight(layer, "bias"));
    }
    put("dense.kernel", weight(stack.dense, "kernel"));
    put("dense.bias", weight(stack.dense, "bias"));
    if let Some(o) = stack.output {
        put("output.kernel", weight(o, "kernel"));
        put("output.bias", weight(o, "bias"));
    }
    crate::checkpoint::check_finite(&params, &layout, "").map_err(|e| e.in_file(weights_name))?;
    Model::from_params(config, params).map_err(|e: LmError| e.in_file(weights_name))
}
