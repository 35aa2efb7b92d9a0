#include "grade/answer_layout.h"

#include <algorithm>
#include <set>

namespace gradebox {
namespace {

// Files of a multi-file answer: code in any of the task's languages, and
// data (a users.json the app requires), as long as the block names a file.
bool layout_sibling(const Task& task, const Candidate& c, const Candidate& primary) {
  if (c.index == primary.index || c.quotation) return false;
  if (c.language == primary.language || c.language == task.language || c.language == "json")
    return true;
  for (const auto& other : task.also_languages) {
    if (c.language == other) return true;
  }
  return false;
}

}  // namespace

std::vector<AnswerFile> layout_candidate(const Task& task, const Extraction& extraction,
                                         int index) {
  const Candidate& primary = extraction.candidates.at(index);
  std::string name = safe_relative_path(primary.filename);
  // Multi-file answers keep their own names so local requires resolve;
  // otherwise the task's name (e.g. answer.py) so the harness knows it.
  if (name.empty() || !task.multi_file) name = task.answer_file;
  std::vector<AnswerFile> files{{name, primary.code}};
  if (!task.multi_file) return files;
  std::set<std::string> taken{name};
  for (const auto& c : extraction.candidates) {
    std::string path = safe_relative_path(c.filename);
    if (!layout_sibling(task, c, primary) || path.empty() || !taken.insert(path).second) continue;
    files.push_back({path, c.code});
  }
  return files;
}

std::vector<AnswerFile> layout_joined(const Task& task, const Extraction& extraction,
                                      const std::vector<int>& indices) {
  std::vector<int> ordered = indices;
  std::sort(ordered.begin(), ordered.end());
  std::string code;
  for (int i : ordered) code += extraction.candidates.at(i).code + "\n\n";
  return {{task.answer_file, code}};
}

}  // namespace gradebox
