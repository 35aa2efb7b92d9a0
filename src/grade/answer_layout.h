// How an answer's blocks become files in the box: the graded block as the
// task's answer file (or under the name the block gives itself), sibling
// blocks that name files at their paths, and the join retry's single file.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "gradebox/extract.h"
#include "gradebox/task.h"
#include "grade/box.h"

namespace gradebox {

/// Files for grading candidate `index` of `extraction`.
std::vector<AnswerFile> layout_candidate(const Task& task, const Extraction& extraction, int index);

/// One file joining `indices` in answer order (the join retry).
std::vector<AnswerFile> layout_joined(const Task& task, const Extraction& extraction,
                                      const std::vector<int>& indices);

}  // namespace gradebox
