// The box: a host directory, mounted read-only at /box in the sandbox, that
// holds exactly what one harness run may see: the answer's files, the
// harness, and inputs.json with every expectation stripped.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gradebox/grade.h"  // remove_stale_boxes
#include "gradebox/status.h"
#include "gradebox/task.h"

namespace gradebox {

/// One file of the answer, at a relative path under /box/answer/.
struct AnswerFile {
  std::string path;  // e.g. "app.js", "routes/users.js"
  std::string code;
};

/// The graders/ folder of trusted helpers (graders/README.md): never copied into a box.
inline constexpr const char* kTrustedFolder = "_trusted";

/// A temporary directory that removes itself (RAII).
/// Named after the owning pid so a later gradebox can remove the boxes of
/// one that was killed (remove_stale_boxes).
class Box {
 public:
  static Result<Box> create();
  /// `grade --keep-box`: a box that outlives gradebox, at <folder>/box under
  /// kKeptBoxRoot (never removed by remove_stale_boxes), so a grader author
  /// can look at it and run the harness in it again (kept_box.h).
  static Result<Box> create_kept(const std::string& label);
  Box(Box&& other) noexcept;
  Box& operator=(Box&&) = delete;
  ~Box();

  const std::filesystem::path& path() const { return path_; }
  /// Writes the answer files, the task's harness files and inputs.json.
  /// A harness file under graders/_trusted is an Error naming it.
  Status fill(const Task& task, const std::vector<AnswerFile>& answer,
              const nlohmann::json& inputs);

 private:
  Box(std::filesystem::path path, bool kept) : path_(std::move(path)), kept_(kept) {}
  std::filesystem::path path_;
  bool kept_ = false;
};

/// Where kept boxes go, one folder each.
inline constexpr const char* kKeptBoxRoot = "/tmp/gradebox-kept";

/// The tests as the sandbox may see them: `expect` removed from each.
nlohmann::json strip_expectations(const nlohmann::json& tests);

/// A file name from a block's info string made safe: relative, no "..",
/// no absolute part; empty when nothing usable is left.
std::string safe_relative_path(const std::string& name);

}  // namespace gradebox
