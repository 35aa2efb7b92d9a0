#include "grade/box.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "grade/harness_bytecode.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

const fs::path kBoxRoot = "/tmp/gradebox-boxes";

Status write_file(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error{"open(" + path.string() + "): " + std::strerror(errno)};
  out << content;
  if (!out) return Error{"write(" + path.string() + ") failed"};
  return ok_status();
}

Status copy_into(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return Error{"copy(" + from.string() + ", " + to.string() + "): " + ec.message()};
  return ok_status();
}

// The sandbox's uid is not ours: everything must be world-readable, and
// directories traversable, but nothing writable by it.
void open_for_reading(const fs::path& root) {
  ::chmod(root.c_str(), 0755);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    ::chmod(entry.path().c_str(), entry.is_directory() ? 0755 : 0644);
  }
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

// graders/_trusted holds code that runs outside with the expectations in
// reach (checkers, probers, their server): it never enters a box.
bool in_trusted_folder(const std::string& harness_file) {
  for (const auto& part : fs::path(harness_file)) {
    if (part == kTrustedFolder) return true;
  }
  return false;
}

}  // namespace

std::string safe_relative_path(const std::string& name) {
  fs::path result;
  for (const auto& part : fs::path(name).relative_path()) {
    auto text = part.string();
    if (text.empty() || text == "." || text == ".." || text == "/") continue;
    result /= text;
  }
  return result.string();
}

nlohmann::json strip_expectations(const nlohmann::json& tests) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& test : tests) {
    // Field by field, so a large expectation is never copied only to be dropped.
    nlohmann::json copy = nlohmann::json::object();
    for (const auto& [key, value] : test.items()) {
      if (key != "expect") copy[key] = value;
    }
    out.push_back(std::move(copy));
  }
  return out;
}

Result<Box> Box::create() {
  static std::atomic<unsigned> counter{0};
  std::error_code ec;
  fs::create_directories(kBoxRoot, ec);
  ::chmod(kBoxRoot.c_str(), 0711);
  auto path = kBoxRoot / (std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path, ec);
  if (!fs::create_directory(path, ec))
    return Error{"mkdir(" + path.string() + "): " + ec.message()};
  return Box(path, false);
}

Result<Box> Box::create_kept(const std::string& label) {
  std::error_code ec;
  fs::create_directories(kKeptBoxRoot, ec);
  std::string pattern = std::string(kKeptBoxRoot) + "/" + safe_relative_path(label) + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr)
    return Error{"mkdtemp(" + pattern + "): " + std::strerror(errno)};
  ::chmod(pattern.c_str(), 0755);
  auto path = fs::path(pattern) / "box";
  if (!fs::create_directory(path, ec))
    return Error{"mkdir(" + path.string() + "): " + ec.message()};
  return Box(path, true);
}

Box::Box(Box&& other) noexcept : path_(std::move(other.path_)), kept_(other.kept_) {
  other.path_.clear();
}

Box::~Box() {
  if (path_.empty() || kept_) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

Status Box::fill(const Task& task, const std::vector<AnswerFile>& answer,
                 const nlohmann::json& inputs) {
  for (const auto& file : answer) {
    if (auto s = write_file(path_ / "answer" / file.path, file.code); !s) return s;
  }
  for (const auto& file : task.harness_files) {
    if (in_trusted_folder(file))
      return Error{"harness file " + file + ": " + kTrustedFolder + "/ is trusted, never in a box"};
    if (auto s = copy_into(task.dir / file, path_ / fs::path(file).filename()); !s) return s;
  }
  for (const auto& file : harness_bytecode(task)) {
    std::error_code ec;
    fs::create_directories((path_ / file.to).parent_path(), ec);
    // Only a speed-up: without the file Python compiles the module itself.
    (void)copy_into(file.from, path_ / file.to);
  }
  if (auto s = write_file(path_ / "inputs.json", inputs.dump()); !s) return s;
  open_for_reading(path_);
  return ok_status();
}

void remove_stale_boxes() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kBoxRoot, ec)) {
    auto name = entry.path().filename().string();
    pid_t owner = static_cast<pid_t>(std::atol(name.c_str()));
    if (owner > 0 && !process_exists(owner)) fs::remove_all(entry.path(), ec);
  }
}

}  // namespace gradebox
