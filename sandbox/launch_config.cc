#include "launch_config.h"

#include <filesystem>

#include <nlohmann/json.hpp>

namespace gradebox::sandbox {
namespace {

using nlohmann::json;

LimitHit limit_from_name(const std::string& name) {
  for (LimitHit limit : {LimitHit::kCpu, LimitHit::kWall, LimitHit::kMemory, LimitHit::kProcesses,
                         LimitHit::kOutput, LimitHit::kFileSize}) {
    if (name == to_string(limit)) return limit;
  }
  return LimitHit::kNone;
}

// Sources are resolved on the host before the init sees them: inside the
// new root an absolute symlink would point somewhere else.
std::string host_path(const std::string& path) {
  std::error_code ec;
  auto resolved = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : resolved.string();
}

json mounts_to_json(const std::vector<BindMount>& mounts) {
  json list = json::array();
  for (const BindMount& mount : mounts) {
    list.push_back({{"source", host_path(mount.source)},
                    {"target", mount.target},
                    {"writable", mount.writable},
                    {"copy", mount.copy}});
  }
  return list;
}

std::vector<BindMount> mounts_from_json(const json& list) {
  std::vector<BindMount> mounts;
  for (const json& item : list) {
    mounts.push_back({item.at("source").get<std::string>(), item.at("target").get<std::string>(),
                      item.at("writable").get<bool>(), item.at("copy").get<bool>()});
  }
  return mounts;
}

}  // namespace

std::string to_json(const LaunchConfig& c) {
  json out = {{"argv", c.argv},
              {"env", c.env},
              {"mounts", mounts_to_json(c.mounts)},
              {"cwd", c.cwd},
              {"loopback", c.loopback},
              {"shield_program", c.shield_program},
              {"seccomp_allow", c.seccomp_allow},
              {"cpu_seconds", c.cpu_seconds},
              {"wall_seconds", c.wall_seconds},
              {"file_size_bytes", c.file_size_bytes},
              {"open_files", c.open_files},
              {"tmpfs_bytes", c.tmpfs_bytes},
              {"cgroup_procs", c.cgroup_procs},
              {"cpu_usage_path", c.cpu_usage_path},
              {"cpu_usage_format", static_cast<int>(c.cpu_usage_format)},
              {"user_namespace", c.user_namespace},
              {"outside_uid", c.outside_uid},
              {"outside_gid", c.outside_gid}};
  return out.dump();
}

Result<LaunchConfig> launch_config_from_json(const std::string& text, bool prelaunch) {
  try {
    json in = json::parse(text);
    LaunchConfig c;
    c.argv = in.at("argv").get<std::vector<std::string>>();
    c.env = in.at("env").get<std::vector<std::string>>();
    c.mounts = mounts_from_json(in.at("mounts"));
    c.cwd = in.at("cwd").get<std::string>();
    c.loopback = in.at("loopback").get<bool>();
    c.shield_program = in.value("shield_program", false);
    c.seccomp_allow = in.at("seccomp_allow").get<std::vector<std::string>>();
    c.cpu_seconds = in.at("cpu_seconds").get<double>();
    c.wall_seconds = in.at("wall_seconds").get<double>();
    c.file_size_bytes = in.at("file_size_bytes").get<std::uint64_t>();
    c.open_files = in.at("open_files").get<int>();
    c.tmpfs_bytes = in.at("tmpfs_bytes").get<std::uint64_t>();
    c.cgroup_procs = in.at("cgroup_procs").get<std::vector<std::string>>();
    c.cpu_usage_path = in.at("cpu_usage_path").get<std::string>();
    c.cpu_usage_format = static_cast<CpuUsageFormat>(in.at("cpu_usage_format").get<int>());
    c.user_namespace = in.at("user_namespace").get<bool>();
    c.outside_uid = in.at("outside_uid").get<unsigned>();
    c.outside_gid = in.at("outside_gid").get<unsigned>();
    if (c.argv.empty() && !prelaunch) return Error{"launch config: empty argv"};
    return c;
  } catch (const json::exception& e) {
    return Error{std::string("launch config: ") + e.what()};
  }
}

std::string report_line(const InitReport& r) {
  json out = {{"exited", r.exited},           {"exit_code", r.exit_code},
              {"term_signal", r.term_signal}, {"wall_seconds", r.wall_seconds},
              {"limit", to_string(r.limit)},  {"violation", r.violation}};
  return out.dump() + "\n";
}

std::string ready_line() { return "{\"ready\":true}\n"; }

Status parse_ready(const std::string& line) {
  try {
    json in = json::parse(line);
    if (in.contains("ready")) return ok_status();
    if (in.contains("error")) return Error{in.at("error").get<std::string>()};
  } catch (const json::exception& e) {
  }
  return Error{"gradebox-init: no ready line, got '" + line.substr(0, 200) + "'"};
}

std::string error_line(const std::string& message) {
  return json{{"error", message}}.dump() + "\n";
}

Result<InitReport> parse_status(const std::string& text) {
  try {
    json in = json::parse(text);
    if (in.contains("error")) {
      return Error{in.at("error").get<std::string>()};
    }
    InitReport r;
    r.exited = in.at("exited").get<bool>();
    r.exit_code = in.at("exit_code").get<int>();
    r.term_signal = in.at("term_signal").get<int>();
    r.wall_seconds = in.at("wall_seconds").get<double>();
    r.limit = limit_from_name(in.at("limit").get<std::string>());
    r.violation = in.at("violation").get<std::string>();
    return r;
  } catch (const json::exception& e) {
    return Error{"gradebox-init status '" + text.substr(0, 200) + "': " + e.what()};
  }
}

}  // namespace gradebox::sandbox
