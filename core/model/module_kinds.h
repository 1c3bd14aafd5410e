#pragma once
// What a node of the module tree is, and the groups parameters are counted in: enums shared by core
// (which sets them from the modules' C++ types), the app and the widgets, so that nobody matches
// class-name strings. A plain header (no torch, no Qt): widgets include it.

namespace anatomist::core {

enum class ModuleRole {
    Other,     // containers (the model, the backbone, the list of blocks)
    Parameter, // a weight or bias tensor: a leaf of the tree
    Embedding,
    Block,     // one decoder layer: what remove_layers removes
    Attention, // a block's attention: what bypass_attention skips and prune_heads narrows
    Mlp,       // a block's MLP: what prune_mlp narrows
    Norm,
    Linear, // weight stored [out, in]
    Conv1D, // GPT-2's linear layer, weight stored [in, out]
};

// ModelSummary::parametersByGroup; paramGroupName (model_info.h) gives the JSON key.
enum class ParamGroup { Embedding, Positions, Attention, Mlp, Norm, Head };

} // namespace anatomist::core
