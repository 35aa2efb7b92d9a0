// Rendering a run diff (pipeline/diff.h): text for people, JSON for
// programs, JUnit XML for CI dashboards.
#pragma once

#include <string>

#include "pipeline/diff.h"

namespace gradebox::pipeline {

std::string diff_text(const RunDiff& diff);
std::string diff_json(const RunDiff& diff);
std::string diff_junit(const RunDiff& diff);

}  // namespace gradebox::pipeline
