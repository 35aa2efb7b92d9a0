// The parts of a Task that stay JSON (the hidden tests, the harness options),
// read through here so a Task built by hand (a null pointer) reads as empty.
// Private to gradebox's own code: the public task.h needs only json_fwd.hpp.
#pragma once

#include <nlohmann/json.hpp>

#include "gradebox/task.h"

namespace gradebox {

/// The hidden tests, an array (expectations included: never into the box).
const nlohmann::json& hidden_tests(const Task& task);

/// task.json's "options" for the harness and prober, an object.
const nlohmann::json& harness_options(const Task& task);

}  // namespace gradebox
