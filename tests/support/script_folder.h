// A throwaway graders-like folder for the script fork server's tests:
// _trusted/gb_script_server.py (the real one) beside task/<scripts>.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace gradebox::testing {

class ScriptFolder {
 public:
  explicit ScriptFolder(const std::string& name)
      : root_(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(root_ / "_trusted");
    std::filesystem::create_directories(root_ / "task");
    std::filesystem::copy_file(
        std::filesystem::path(TESTS_DIR) / "../graders/_trusted/gb_script_server.py",
        root_ / "_trusted/gb_script_server.py", std::filesystem::copy_options::overwrite_existing);
  }
  ~ScriptFolder() { std::filesystem::remove_all(root_); }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(root_ / name) << text;
  }
  std::filesystem::path path(const std::string& name) const { return root_ / name; }

 private:
  std::filesystem::path root_;
};

}  // namespace gradebox::testing
