#include "grade/runtime_profile.h"

#include <sys/stat.h>

#include <fstream>
#include <functional>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "grade/first_output_line.h"
#include "grade/host_cache.h"

namespace gradebox {
namespace {

std::string expand(std::string text, const std::filesystem::path& graders_dir) {
  const std::string key = "${GRADERS}";
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) {
    text.replace(at, key.size(), graders_dir.string());
  }
  return text;
}

std::filesystem::path usr_view(const std::string& name) {
  return std::filesystem::path(kInstallRoot) / "runtimes" / name / "usr";
}

// The view holds hard links to the host's files as `make deps` found them:
// after an upgrade of the runtime the host's binary is another file.
bool same_file(const std::string& a, const std::string& b) {
  struct stat one {
  }, two{};
  if (::stat(a.c_str(), &one) != 0 || ::stat(b.c_str(), &two) != 0) return false;
  if (one.st_dev == two.st_dev && one.st_ino == two.st_ino) return true;
  return one.st_size == two.st_size && one.st_mtim.tv_sec == two.st_mtim.tv_sec &&
         one.st_mtim.tv_nsec == two.st_mtim.tv_nsec;  // a copy (cp -a)
}

// The profile's part of /usr, installed by `make deps`, is the box's /usr.
Result<BindMount> usr_mount(const std::string& name, const std::vector<std::string>& version) {
  auto view = usr_view(name);
  if (!std::filesystem::exists(view))
    return Error{"runtime " + name + ": " + view.string() + " is missing (run `make deps`)"};
  if (!version.empty() && version[0].rfind("/usr/", 0) == 0 &&
      !same_file(version[0], view.parent_path().string() + version[0]))
    return Error{"runtime " + name + ": " + view.string() + " is older than " + version[0] +
                 " (run `make deps`)"};
  return BindMount{view.string(), "/usr", false};
}

}  // namespace

Result<RuntimeProfile> load_runtime_profile(const std::string& name,
                                            const std::filesystem::path& graders_dir) {
  auto path = runtime_profile_path(graders_dir, name);
  std::ifstream in(path);
  if (!in) return Error{"runtime profile not found: " + path.string()};
  try {
    auto j = nlohmann::json::parse(in);
    RuntimeProfile p;
    p.name = j.at("name").get<std::string>();
    p.env = j.value("env", std::vector<std::string>{});
    p.version_command = j.value("version", std::vector<std::string>{});
    if (j.contains("usr")) {
      auto usr = usr_mount(name, p.version_command);
      if (!usr) return usr.error();
      p.mounts.push_back(std::move(*usr));
    }
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
    return p;
  } catch (const nlohmann::json::exception& e) {
    return Error{path.string() + ": " + e.what()};
  }
}

namespace {

// The toolchain's version, cached on disk under the identity of its binary
// (`go version` costs 80 ms a process): an upgrade changes the binary, so
// the key, so the version is asked again.
std::filesystem::path version_cache_file(const RuntimeProfile& profile) {
  if (profile.version_command.empty()) return {};
  struct stat st {};
  if (::stat(profile.version_command[0].c_str(), &st) != 0) return {};
  std::string key;
  for (const auto& arg : profile.version_command) key += arg + " ";
  key += std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
         std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
  return host_cache_dir("toolchains") /
         (profile.name + "-" + std::to_string(std::hash<std::string>{}(key)) + ".txt");
}

std::string ask_version(const RuntimeProfile& profile) {
  // Stays "unknown" when it cannot run: the report says so rather than guessing.
  return first_output_line(profile.version_command).value_or("unknown");
}

}  // namespace

std::string toolchain_version(const RuntimeProfile& profile) {
  std::filesystem::path file = version_cache_file(profile);
  std::string version = file.empty() ? "" : read_cached(file);
  if (version.empty()) {
    version = ask_version(profile);
    if (!file.empty() && version != "unknown") write_cached(file, version);
  }
  return version;
}

std::string runtime_version(const RuntimeProfile& profile) {
  static std::mutex mutex;
  static std::map<std::string, std::string> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(profile.name); it != cache.end()) return it->second;
  return cache[profile.name] = toolchain_version(profile);
}

}  // namespace gradebox
