// What a report records about where it was graded, so results are compared
// across nights only when graders and toolchains match.
#pragma once

#include <nlohmann/json.hpp>

#include "gradebox/task.h"
#include "grade/runtime_profile.h"

namespace gradebox {

/// gradebox version, the task's grader stamp, the runtime's version, kernel.
nlohmann::json environment_json(const Task& task, const RuntimeProfile* profile);

}  // namespace gradebox
