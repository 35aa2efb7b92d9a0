#include "pipeline/run_input.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Adds the record unless its task is unknown or it repeats an earlier one.
void admit(AnswerRecord record, const std::set<std::string>& known_tasks,
           std::map<std::pair<std::string, std::string>, std::string>& seen, RunInput& input) {
  if (!is_safe_id(record.model) || !is_safe_id(record.task)) {
    input.problems.push_back({"bad-id", record.source, "", "",
                              "model and task ids may hold only letters, digits, '.', '_', '-'"});
    return;
  }
  if (!known_tasks.count(record.task)) {
    input.problems.push_back({"unknown-task", record.source, record.model, record.task,
                              "unknown or unloadable task '" + record.task + "'"});
    return;
  }
  auto key = std::make_pair(record.model, record.task);
  if (auto it = seen.find(key); it != seen.end()) {
    input.problems.push_back({"duplicate", record.source, record.model, record.task,
                              "duplicate of " + it->second + " (the first one is graded)"});
    return;
  }
  seen[key] = record.source;
  input.answers.push_back(std::move(record));
}

// One JSONL line -> a record, or a problem naming the line.
std::optional<AnswerRecord> parse_line(const std::string& line, const std::string& where,
                                       RunInput& input) {
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    input.problems.push_back({"malformed", where, "", "", "malformed JSON record"});
    return std::nullopt;
  }
  for (const char* field : {"model", "task", "text"}) {
    if (!j.contains(field) || !j[field].is_string()) {
      input.problems.push_back({"missing-field", where, j.value("model", ""), j.value("task", ""),
                                std::string("missing or non-string field '") + field + "'"});
      return std::nullopt;
    }
  }
  AnswerRecord r{j["model"], j["task"], j["text"], 0, 0, where};
  if (j.contains("latency_s") && j["latency_s"].is_number()) r.latency_s = j["latency_s"];
  if (j.contains("tokens") && j["tokens"].is_number_integer()) r.tokens = j["tokens"];
  return r;
}

void load_jsonl(const fs::path& path, const std::set<std::string>& known_tasks, RunInput& input) {
  std::ifstream in(path, std::ios::binary);
  std::map<std::pair<std::string, std::string>, std::string> seen;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string where = path.filename().string() + ":" + std::to_string(number);
    if (auto record = parse_line(line, where, input))
      admit(std::move(*record), known_tasks, seen, input);
  }
}

void load_directory(const fs::path& root, const std::set<std::string>& known_tasks,
                    RunInput& input) {
  std::map<std::pair<std::string, std::string>, std::string> seen;
  std::vector<fs::path> files;
  for (const auto& model_dir : fs::directory_iterator(root)) {
    if (!model_dir.is_directory()) continue;  // README.md and the like
    for (const auto& file : fs::directory_iterator(model_dir.path())) files.push_back(file.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::string where = fs::relative(file, root.parent_path()).string();
    if (file.extension() != ".md" || !fs::is_regular_file(file)) {
      input.problems.push_back({"not-an-answer", where, file.parent_path().filename().string(), "",
                                "not an answer file (<model>/<task>.md)"});
      continue;
    }
    AnswerRecord r{
        file.parent_path().filename().string(), file.stem().string(), read_text(file), 0, 0, where};
    admit(std::move(r), known_tasks, seen, input);
  }
}

// A model that answered some tasks of the run but not all is marked.
void report_missing(RunInput& input) {
  std::set<std::string> models, tasks;
  std::set<std::pair<std::string, std::string>> have;
  for (const auto& a : input.answers) {
    models.insert(a.model);
    tasks.insert(a.task);
    have.insert({a.model, a.task});
  }
  for (const auto& p : input.problems) {
    if (!p.model.empty() && p.kind != "unknown-task") models.insert(p.model);
  }
  for (const auto& model : models) {
    for (const auto& task : tasks) {
      if (have.count({model, task})) continue;
      input.problems.push_back({"missing-answer", input.path.filename().string(), model, task,
                                "no gradable answer from " + model + " for " + task});
    }
  }
}

}  // namespace

bool is_safe_id(const std::string& id) {
  if (id.empty() || id.size() > 128 || id == "." || id == "..") return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-';
  });
}

Result<RunInput> load_run_input(const fs::path& path, const std::set<std::string>& known_tasks) {
  std::error_code ec;
  RunInput input;
  input.path = path;
  if (fs::is_directory(path, ec)) {
    load_directory(path, known_tasks, input);
  } else if (fs::is_regular_file(path, ec)) {
    load_jsonl(path, known_tasks, input);
  } else {
    return Error{"load_run_input(" + path.string() + "): no such directory or JSONL file"};
  }
  std::sort(input.answers.begin(), input.answers.end(), [](const auto& a, const auto& b) {
    return std::tie(a.model, a.task) < std::tie(b.model, b.task);
  });
  report_missing(input);
  return input;
}

}  // namespace gradebox::pipeline
