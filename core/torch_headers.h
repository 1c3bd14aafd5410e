#pragma once
// The torch headers core uses, in one place: this file is the precompiled header of every target
// that includes torch. Loading a precompiled header costs seconds per translation unit, so it holds
// only what core needs (not <torch/torch.h>, which adds data loaders, serialisation and JIT).

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/types.h>
#include <torch/utils.h>
