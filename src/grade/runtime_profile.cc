#include "grade/runtime_profile.h"

#include <fstream>
#include <map>
#include <mutex>

#include <boost/process.hpp>

namespace gradebox {
namespace {

std::string expand(std::string text, const std::filesystem::path& graders_dir) {
  const std::string key = "${GRADERS}";
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) {
    text.replace(at, key.size(), graders_dir.string());
  }
  return text;
}

}  // namespace

std::filesystem::path profiles_dir(const std::filesystem::path& graders_dir) {
  auto beside = graders_dir.parent_path() / "sandbox" / "profiles";
  std::error_code ec;
  if (std::filesystem::is_directory(beside, ec)) return beside;
  return std::filesystem::path(GRADEBOX_SOURCE_DIR) / "sandbox" / "profiles";
}

Result<RuntimeProfile> load_runtime_profile(const std::string& name,
                                            const std::filesystem::path& graders_dir) {
  auto path = profiles_dir(graders_dir) / (name + ".json");
  std::ifstream in(path);
  if (!in) return Error{"runtime profile not found: " + path.string()};
  try {
    auto j = nlohmann::json::parse(in);
    RuntimeProfile p;
    p.name = j.at("name").get<std::string>();
    p.env = j.value("env", std::vector<std::string>{});
    for (const auto& m : j.value("mounts", nlohmann::json::array())) {
      BindMount mount{expand(m.at("source").get<std::string>(), graders_dir),
                      m.at("target").get<std::string>(), m.value("writable", false)};
      if (!std::filesystem::exists(mount.source))
        return Error{"runtime " + name + ": " + mount.source + " is missing (run `make deps`)"};
      p.mounts.push_back(std::move(mount));
    }
    for (const auto& required : j.value("requires", std::vector<std::string>{})) {
      std::string path = expand(required, graders_dir);
      if (!std::filesystem::exists(path))
        return Error{"runtime " + name + ": " + path + " is missing (run `make deps`)"};
    }
    p.memory_headroom_mb = j.value("memory_headroom_mb", 0);
    p.max_processes = j.value("max_processes", 64);
    p.seccomp_allow = j.value("seccomp_allow", std::vector<std::string>{});
    p.version_command = j.value("version", std::vector<std::string>{});
    return p;
  } catch (const nlohmann::json::exception& e) {
    return Error{path.string() + ": " + e.what()};
  }
}

std::string runtime_version(const RuntimeProfile& profile) {
  static std::mutex mutex;
  static std::map<std::string, std::string> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(profile.name); it != cache.end()) return it->second;
  std::string version = "unknown";
  if (!profile.version_command.empty()) {
    try {
      namespace bp = boost::process;
      bp::ipstream out;
      std::vector<std::string> args(profile.version_command.begin() + 1,
                                    profile.version_command.end());
      bp::child child(profile.version_command[0], bp::args(args), (bp::std_out & bp::std_err) > out,
                      bp::std_in < bp::null);
      std::string line;
      if (std::getline(out, line) && !line.empty()) version = line;
      child.wait();
    } catch (const std::exception&) {
      // Stays "unknown": the report says so rather than guessing.
    }
  }
  cache[profile.name] = version;
  return version;
}

}  // namespace gradebox
