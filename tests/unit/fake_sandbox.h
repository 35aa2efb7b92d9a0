// A Sandbox that runs nothing: a test scripts what "the harness" reports, so
// grading, scoring and reports are tested without root (seams at the OS
// edge). It also records each spec and the inputs.json it was given.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "gradebox/sandbox.h"

namespace gradebox::testing {

/// What one fake run sees: the spec and the parsed /box/inputs.json.
struct FakeRun {
  SandboxSpec spec;
  nlohmann::json inputs;
  std::string answer_code;  // /box/answer/<first file>
};

class FakeSandbox : public Sandbox {
 public:
  using Script = std::function<SandboxOutcome(const FakeRun&)>;
  explicit FakeSandbox(Script script) : script_(std::move(script)) {}

  Result<std::unique_ptr<RunningSandbox>> start(const SandboxSpec& spec) override;
  std::vector<FakeRun> runs() const {
    std::lock_guard lock(mutex_);
    return runs_;
  }

 private:
  Script script_;
  mutable std::mutex mutex_;
  std::vector<FakeRun> runs_;
};

class FakeRunning : public RunningSandbox {
 public:
  explicit FakeRunning(SandboxOutcome outcome) : outcome_(std::move(outcome)) {}
  Status in_network(const std::function<void()>& fn) override {
    fn();
    return ok_status();
  }
  std::string network_namespace_path() const override { return "/proc/self/ns/net"; }
  Result<SandboxOutcome> wait() override { return outcome_; }
  void kill() override {}

 private:
  SandboxOutcome outcome_;
};

inline Result<std::unique_ptr<RunningSandbox>> FakeSandbox::start(const SandboxSpec& spec) {
  FakeRun run{spec, nullptr, ""};
  for (const auto& mount : spec.mounts) {
    if (mount.target != "/box") continue;
    std::ifstream in(std::filesystem::path(mount.source) / "inputs.json");
    run.inputs = nlohmann::json::parse(in);
    std::string answer = run.inputs["answer"].get<std::string>();
    std::ifstream code(std::filesystem::path(mount.source) / answer.substr(5));  // strip "/box/"
    run.answer_code.assign(std::istreambuf_iterator<char>(code), {});
  }
  {
    std::lock_guard lock(mutex_);
    runs_.push_back(run);
  }
  return std::unique_ptr<RunningSandbox>(new FakeRunning(script_(run)));
}

/// Channel lines for a harness that starts, loads and reports `tests`.
inline std::string channel(const std::vector<nlohmann::json>& events) {
  std::string text;
  for (const auto& e : events) text += e.dump() + "\n";
  return text;
}

inline SandboxOutcome exited(std::string channel_data) {
  SandboxOutcome o;
  o.exited = true;
  o.exit_code = 0;
  o.channel_data = std::move(channel_data);
  return o;
}

/// A harness that echoes every test's input back as its value (what a
/// correct answer to an identity task produces), except "wrong" for the
/// tests `wrong_for` picks.
inline SandboxOutcome echo_inputs(
    const FakeRun& run,
    const std::function<bool(const nlohmann::json& test)>& wrong_for = nullptr) {
  std::vector<nlohmann::json> events{{{"event", "start"}}, {{"event", "load"}, {"ok", true}}};
  for (const auto& t : run.inputs["tests"]) {
    nlohmann::json value = wrong_for && wrong_for(t) ? nlohmann::json("wrong") : t["input"];
    events.push_back({{"event", "test"}, {"id", t["id"]}, {"status", "ok"}, {"value", value}});
  }
  return exited(channel(events));
}

/// The echo task's answer told apart by `tag` (a comment in its code).
inline std::string echo_answer(const std::string& tag) {
  return "```python\ndef echo(x):\n    return x  # " + tag + "\n```\n";
}

/// echo_inputs for an echo_answer: test basic-2 is wrong when the answer's
/// tag says BROKEN.
inline SandboxOutcome echo_unless_broken(const FakeRun& run) {
  bool broken = run.answer_code.find("BROKEN") != std::string::npos;
  return echo_inputs(run, [&](const nlohmann::json& t) { return broken && t["id"] == "basic-2"; });
}

}  // namespace gradebox::testing
