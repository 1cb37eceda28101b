// GPUs of a node: the device ids an agent may hand out, declared by the operator or found
// with nvidia-smi. Parsing is pure; DiscoverNvidiaGpus runs a program. Thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::exec {

// `--gpus` of `gantry agent`/`gantry up`: "N" declares N devices 0..N-1; a list of ids and
// ranges ("0,1,3", "2-3", "5-5") declares exactly those. Ascending, without repeats.
Result<std::vector<int>> ParseGpuDeclaration(std::string_view text);

// The output of `nvidia-smi --query-gpu=index --format=csv,noheader`: one index per line.
Result<std::vector<int>> ParseNvidiaSmiIndexes(std::string_view output);

// The NVIDIA GPUs nvidia-smi lists, or none when nvidia-smi is not on PATH or fails (a node
// without a driver has no GPUs to give).
std::vector<int> DiscoverNvidiaGpus();

// "0,1,3": the form of CUDA_VISIBLE_DEVICES and SLURM_JOB_GPUS.
std::string GpuList(const std::vector<int>& ids);

}  // namespace gantry::exec
