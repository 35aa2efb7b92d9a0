#include "grade/kept_box.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "util/atomic_file.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json limits_json(const SandboxLimits& l) {
  return {{"cpu_seconds", l.cpu_seconds},         {"wall_seconds", l.wall_seconds},
          {"memory_bytes", l.memory_bytes},       {"max_processes", l.max_processes},
          {"file_size_bytes", l.file_size_bytes}, {"open_files", l.open_files},
          {"output_bytes", l.output_bytes},       {"channel_bytes", l.channel_bytes},
          {"tmpfs_bytes", l.tmpfs_bytes}};
}

SandboxLimits limits_from(const json& j) {
  SandboxLimits l;
  l.cpu_seconds = j.at("cpu_seconds").get<double>();
  l.wall_seconds = j.at("wall_seconds").get<double>();
  l.memory_bytes = j.at("memory_bytes").get<std::uint64_t>();
  l.max_processes = j.at("max_processes").get<int>();
  l.file_size_bytes = j.at("file_size_bytes").get<std::uint64_t>();
  l.open_files = j.at("open_files").get<int>();
  l.output_bytes = j.at("output_bytes").get<std::uint64_t>();
  l.channel_bytes = j.at("channel_bytes").get<std::uint64_t>();
  l.tmpfs_bytes = j.at("tmpfs_bytes").get<std::uint64_t>();
  return l;
}

json spec_json(const SandboxSpec& spec) {
  json mounts = json::array();
  for (const auto& m : spec.mounts)
    mounts.push_back(
        {{"source", m.source}, {"target", m.target}, {"writable", m.writable}, {"copy", m.copy}});
  return {{"argv", spec.argv},
          {"env", spec.env},
          {"mounts", mounts},
          {"cwd", spec.cwd},
          {"stdin", spec.stdin_data},
          {"limits", limits_json(spec.limits)},
          {"loopback", spec.loopback},
          {"guard_program", spec.guard_program},
          {"seccomp_allow", spec.seccomp_allow}};
}

SandboxSpec spec_from(const json& j) {
  SandboxSpec spec;
  spec.argv = j.at("argv").get<std::vector<std::string>>();
  spec.env = j.at("env").get<std::vector<std::string>>();
  for (const auto& m : j.at("mounts"))
    spec.mounts.push_back({m.at("source").get<std::string>(), m.at("target").get<std::string>(),
                           m.at("writable").get<bool>(), m.at("copy").get<bool>()});
  spec.cwd = j.at("cwd").get<std::string>();
  spec.stdin_data = j.at("stdin").get<std::string>();
  spec.limits = limits_from(j.at("limits"));
  spec.loopback = j.at("loopback").get<bool>();
  spec.guard_program = j.at("guard_program").get<bool>();
  spec.seccomp_allow = j.at("seccomp_allow").get<std::vector<std::string>>();
  return spec;
}

json probe_json(const std::optional<ScriptCall>& probe) {
  if (!probe) return nullptr;
  return {{"script", probe->script.string()},
          {"stdin", probe->stdin_data},
          {"timeout_ms", probe->timeout.count()}};
}

std::optional<ScriptCall> probe_from(const json& j) {
  if (j.is_null()) return std::nullopt;
  ScriptCall call;
  call.script = j.at("script").get<std::string>();
  call.stdin_data = j.at("stdin").get<std::string>();
  call.timeout = std::chrono::milliseconds(j.at("timeout_ms").get<long>());
  return call;
}

// The re-run command names this very binary, so it works from a build tree.
std::string this_binary() {
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("gradebox") : self.string();
}

}  // namespace

Status keep_for_rerun(const Box& box, const KeptRun& run) {
  const fs::path folder = box.path().parent_path();
  json file = {{"spec", spec_json(run.spec)}, {"probe", probe_json(run.probe)}};
  auto text = file.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  if (auto s = write_file_atomically(folder / "rerun.json", text); !s) return s;
  std::cerr << "gradebox: kept box: " << box.path().string() << "\n"
            << "gradebox: re-run it: " << this_binary() << " rerun-box " << folder.string() << "\n";
  return ok_status();
}

Result<KeptRun> read_kept_run(const fs::path& folder) {
  const fs::path path = folder / "rerun.json";
  std::ifstream in(path);
  if (!in) return Error{"cannot read " + path.string() + " (not a folder kept by --keep-box?)"};
  std::stringstream text;
  text << in.rdbuf();
  json file = json::parse(text.str(), nullptr, false);
  if (file.is_discarded()) return Error{path.string() + ": not valid JSON"};
  try {
    return KeptRun{spec_from(file.at("spec")), probe_from(file.value("probe", json()))};
  } catch (const json::exception& e) {
    return Error{path.string() + ": " + e.what()};
  }
}

}  // namespace gradebox
