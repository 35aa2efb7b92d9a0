// --shard K/N: a deterministic slice of a run, so a scheduler (a Kubernetes
// Indexed Job, a Slurm array, a CI matrix) can spread one run over machines.
#pragma once

#include <optional>
#include <string>

namespace gradebox::pipeline {

struct Shard {
  int index = 1;  // 1-based K
  int count = 1;  // N
};

/// "K/N" with 1 <= K <= N; nullopt on anything else.
std::optional<Shard> parse_shard(const std::string& text);

/// Whether (model, task) belongs to the shard. Depends only on the two ids
/// (a content hash), never on the order or the number of other answers, so
/// every machine computes the same slice from the same input.
bool in_shard(const std::string& model, const std::string& task, const Shard& shard);

std::string to_string(const Shard& shard);

}  // namespace gradebox::pipeline
