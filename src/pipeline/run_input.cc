#include "pipeline/run_input.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <iterator>
#include <optional>
#include <tuple>

#include "check/bounded_json.h"
#include "gradebox/grade.h"
#include "util/no_follow.h"
#include "util/utf8.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A record is flat; the depth limit only bounds the parser's work.
constexpr int kRecordDepth = 64;

// (model, task, sample) -> where it was first seen.
using Seen = std::map<std::tuple<std::string, std::string, int>, std::string>;

// An answer on its way in: the record, or why it is too large to grade.
struct Candidate {
  AnswerRecord record;
  std::string too_large;  // non-empty: not graded, scores 0
};

// Ids in problems become leaderboard rows and notes: only safe ones do.
std::string safe_or_empty(const std::string& id) { return is_safe_id(id) ? id : ""; }

// An unsafe id named in a message: printable, short, valid UTF-8.
std::string shown_id(const std::string& id) { return "'" + utf8_clean(printable(id), 64) + "'"; }

std::string over_limit(const std::string& what, std::size_t limit) {
  return what + " over the " + std::to_string(limit) +
         "-byte limit (--max-answer-bytes); not graded, scores 0";
}

// Adds the record unless an id is unsafe, its task is unknown, it repeats an
// earlier one or it is too large.
void admit(Candidate candidate, const std::set<std::string>& known_tasks, Seen& seen,
           RunInput& input) {
  AnswerRecord& record = candidate.record;
  std::string model = safe_or_empty(record.model), task = safe_or_empty(record.task);
  if (model.empty() || task.empty()) {
    std::string which = model.empty() ? "model" : "task";
    input.problems.push_back({"bad-id", record.source, model, task,
                              which + " id " +
                                  shown_id(model.empty() ? record.model : record.task) +
                                  ": ids may hold only letters, digits, '.', '_', '-'"});
    return;
  }
  if (!known_tasks.count(task)) {
    input.problems.push_back(
        {"unknown-task", record.source, model, task, "unknown or unloadable task '" + task + "'"});
    return;
  }
  auto key = std::make_tuple(model, task, record.sample);
  if (auto it = seen.find(key); it != seen.end()) {
    input.problems.push_back({"duplicate", record.source, model, task,
                              "duplicate of " + it->second + " (the first one is graded)"});
    return;
  }
  seen[key] = record.source;
  if (!candidate.too_large.empty()) {
    input.problems.push_back(
        {"too-large", record.source, model, task, candidate.too_large, record.sample});
    return;
  }
  input.answers.push_back(std::move(record));
}

std::string string_field(const json& record, const char* name) {
  auto it = record.find(name);
  return it != record.end() && it->is_string() ? it->get<std::string>() : "";
}

struct FieldProblem {
  std::string kind, message;
};

// Every field gradebox reads has its type checked before it is read: a
// record with `"model": 5` is one problem, not the end of the run.
std::optional<FieldProblem> check_fields(const json& record) {
  for (const char* field : {"model", "task", "text"}) {
    auto it = record.find(field);
    if (it == record.end() || !it->is_string())
      return FieldProblem{"missing-field",
                          std::string("missing or non-string field '") + field + "'"};
  }
  struct Optional {
    const char* name;
    bool (*fits)(const json&);
    const char* type;
  };
  static const Optional kOptional[] = {
      {"reasoning_content", [](const json& v) { return v.is_string(); }, "a string"},
      {"finish_reason", [](const json& v) { return v.is_string(); }, "a string"},
      {"latency_s", [](const json& v) { return v.is_number(); }, "a number"},
      {"sample",
       [](const json& v) {
         return v.is_number_integer() && v.get<long long>() >= 0 &&
                v.get<long long>() <= kMaxSample;
       },
       "an integer from 0 to 9999"},
      {"tokens", [](const json& v) { return v.is_number_integer(); }, "an integer"}};
  for (const auto& field : kOptional) {
    auto it = record.find(field.name);
    if (it != record.end() && !it->is_null() && !field.fits(*it))
      return FieldProblem{"malformed",
                          std::string("field '") + field.name + "' is not " + field.type};
  }
  // The same rule as `gradebox grade --finish-reason`, which grades it.
  const std::string finish_reason = string_field(record, "finish_reason");
  if (!finish_reason.empty() && !finish_reason_problem(finish_reason).empty())
    return FieldProblem{"malformed",
                        "field 'finish_reason': " + finish_reason_problem(finish_reason)};
  return std::nullopt;
}

// One JSONL line -> a record, or a problem naming the line.
std::optional<Candidate> parse_line(const std::string& line, const std::string& where,
                                    const InputLimits& limits, RunInput& input) {
  auto parsed = parse_bounded(line, {limits.max_line_bytes, kRecordDepth});
  if (!parsed || !parsed->is_object()) {
    input.problems.push_back({"malformed", where, "", "",
                              "malformed JSON record" + (parsed ? std::string(": not an object")
                                                                : ": " + parsed.error().message)});
    return std::nullopt;
  }
  const json& j = *parsed;
  if (auto bad = check_fields(j)) {
    input.problems.push_back({bad->kind, where, safe_or_empty(string_field(j, "model")),
                              safe_or_empty(string_field(j, "task")), bad->message});
    return std::nullopt;
  }
  Candidate c{{j.at("model").get<std::string>(), j.at("task").get<std::string>(), "", 0, 0, where},
              ""};
  std::size_t text_bytes = j.at("text").get_ref<const std::string&>().size();
  std::size_t reasoning_bytes = string_field(j, "reasoning_content").size();
  if (text_bytes > limits.max_answer_bytes)
    c.too_large = over_limit("answer text", limits.max_answer_bytes);
  else if (reasoning_bytes > limits.max_answer_bytes)
    c.too_large = over_limit("reasoning_content", limits.max_answer_bytes);
  else {
    c.record.text = j.at("text").get<std::string>();
    c.record.reasoning = string_field(j, "reasoning_content");
  }
  c.record.finish_reason = string_field(j, "finish_reason");
  if (auto it = j.find("latency_s"); it != j.end() && it->is_number())
    c.record.latency_s = it->get<double>();
  if (auto it = j.find("tokens"); it != j.end() && it->is_number_integer())
    c.record.tokens = it->get<long long>();
  if (auto it = j.find("sample"); it != j.end() && it->is_number_integer())
    c.record.sample = it->get<int>();
  return c;
}

enum class Line { kEnd, kFits, kTooLong };

// The next line, at most `cap` bytes of it: a longer one is read to its end
// but never held whole (a 50 MB line costs `cap` bytes of memory).
Line next_line(std::istream& in, std::string& line, std::size_t cap) {
  line.clear();
  std::streambuf* buf = in.rdbuf();
  bool any = false, too_long = false;
  for (int c; (c = buf->sbumpc()) != std::char_traits<char>::eof();) {
    any = true;
    if (c == '\n') break;
    if (line.size() < cap)
      line += static_cast<char>(c);
    else
      too_long = true;
  }
  if (!any) return Line::kEnd;
  if (too_long) line.clear();
  return too_long ? Line::kTooLong : Line::kFits;
}

void load_jsonl(const fs::path& path, const std::set<std::string>& known_tasks,
                const InputLimits& limits, RunInput& input) {
  std::ifstream in(path, std::ios::binary);
  Seen seen;
  std::string line, name = printable(path.filename().string());
  for (int number = 1;; ++number) {
    Line read = next_line(in, line, limits.max_line_bytes);
    if (read == Line::kEnd) break;
    std::string where = name + ":" + std::to_string(number);
    if (read == Line::kTooLong) {
      input.problems.push_back(
          {"malformed", where, "", "",
           "record longer than the " + std::to_string(limits.max_line_bytes) + "-byte line limit"});
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (auto candidate = parse_line(line, where, limits, input))
      admit(std::move(*candidate), known_tasks, seen, input);
  }
}

// The run folder's own name, as locations start with it ("run/m/t.md"),
// also for "run", "run/" or ".".
std::string shown_root(const fs::path& root) {
  fs::path p = fs::absolute(root).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  return printable(p.filename().string());
}

// <task>.reasoning.md holds the reasoning of <task>.md (as JSONL's
// reasoning_content): it is read with its answer, never graded alone.
constexpr std::string_view kReasoningSuffix = ".reasoning.md";

bool is_reasoning_file(const FolderEntry& file) {
  return file.kind == EntryKind::kFile && file.name.size() > kReasoningSuffix.size() &&
         file.name.ends_with(kReasoningSuffix);
}

// "flatten_py.reasoning.md" and "flatten_py.md" both name flatten_py.
std::string task_of(const std::string& name) {
  if (name.ends_with(kReasoningSuffix))
    return name.substr(0, name.size() - kReasoningSuffix.size());
  return fs::path(name).stem().string();
}

// Where a folder's answers belong. A model's folder holds <task>.md (the
// name's stem is the task, sample 0); a task's folder <model>/<task>/ holds
// one file per sample, <N>.md (the stem is the sample number).
struct AnswerFolder {
  int fd = -1;
  std::string model;
  std::string task;  // empty: a model's folder
  std::string where;
  bool of_samples() const { return !task.empty(); }
};

// "7" -> 7: digits without a leading zero, at most kMaxSample.
std::optional<int> sample_number(const std::string& stem) {
  if (stem.empty() || stem.size() > 4 || (stem.size() > 1 && stem[0] == '0')) return std::nullopt;
  if (!std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoi(stem);
}

struct Reasoning {
  CappedText file;
  std::string at;  // where it was found
};

// The folder's reasoning files by the stem of the answer they belong to;
// an unreadable one is a problem.
std::map<std::string, Reasoning> read_reasonings(const AnswerFolder& folder,
                                                 const std::vector<FolderEntry>& files,
                                                 const InputLimits& limits, RunInput& input) {
  std::map<std::string, Reasoning> found;
  for (const auto& file : files) {
    if (!is_reasoning_file(file)) continue;
    std::string at = folder.where + "/" + printable(file.name), stem = task_of(file.name);
    auto text = read_file_at(folder.fd, file.name, limits.max_answer_bytes);
    if (text)
      found[stem] = {std::move(*text), at};
    else
      input.problems.push_back({"unreadable", at, safe_or_empty(folder.model),
                                safe_or_empty(folder.of_samples() ? folder.task : stem),
                                printable(text.error().message)});
  }
  return found;
}

// Gives the answer its reasoning (taken out of `reasonings`); a reasoning
// over the limit makes the answer too-large, as reasoning_content does.
void attach_reasoning(Candidate& c, const std::string& stem,
                      std::map<std::string, Reasoning>& reasonings, const InputLimits& limits) {
  auto it = reasonings.find(stem);
  if (it == reasonings.end()) return;
  if (it->second.file.too_large && c.too_large.empty())
    c.too_large = over_limit("reasoning file", limits.max_answer_bytes);
  c.record.reasoning = std::move(it->second.file.text);
  reasonings.erase(it);
}

// The answer a file of `folder` holds, or a problem: its task and sample
// come from the folder and the file's name.
std::optional<std::pair<std::string, int>> answer_key(const AnswerFolder& folder,
                                                      const FolderEntry& file,
                                                      const std::string& at, RunInput& input) {
  std::string stem = task_of(file.name);
  std::string task = folder.of_samples() ? folder.task : stem;
  if (file.kind == EntryKind::kLink) {
    input.problems.push_back({"symlink", at, safe_or_empty(folder.model), safe_or_empty(task),
                              "a symbolic link: not followed, not graded"});
    return std::nullopt;
  }
  auto sample = folder.of_samples() ? sample_number(stem) : std::optional<int>(0);
  if (file.kind != EntryKind::kFile || fs::path(file.name).extension() != ".md" || !sample) {
    input.problems.push_back({"not-an-answer", at, safe_or_empty(folder.model), "",
                              folder.of_samples()
                                  ? "not a sample's answer file (<model>/<task>/<N>.md)"
                                  : "not an answer file (<model>/<task>.md)"});
    return std::nullopt;
  }
  return std::make_pair(task, *sample);
}

// Every file of `folder` (but those in `skip`) is an answer or a problem.
void load_answers(const AnswerFolder& folder, const std::vector<FolderEntry>& files,
                  const std::set<std::string>& known_tasks, const InputLimits& limits, Seen& seen,
                  RunInput& input) {
  auto reasonings = read_reasonings(folder, files, limits, input);
  for (const auto& file : files) {
    if (is_reasoning_file(file)) continue;
    std::string at = folder.where + "/" + printable(file.name);
    auto key = answer_key(folder, file, at, input);
    if (!key) continue;
    auto text = read_file_at(folder.fd, file.name, limits.max_answer_bytes);
    if (!text) {
      input.problems.push_back({"unreadable", at, safe_or_empty(folder.model),
                                safe_or_empty(key->first), printable(text.error().message)});
      continue;
    }
    Candidate c{{folder.model, key->first, std::move(text->text), 0, 0, at},
                text->too_large ? over_limit("answer file", limits.max_answer_bytes) : ""};
    c.record.sample = key->second;
    attach_reasoning(c, task_of(file.name), reasonings, limits);
    admit(std::move(c), known_tasks, seen, input);
  }
  for (const auto& [stem, reasoning] : reasonings)
    input.problems.push_back(
        {"not-an-answer", reasoning.at, safe_or_empty(folder.model), "",
         "a reasoning file without its answer " + printable(stem) + ".md; not graded"});
}

// Tasks a model's folder holds both as <task>.md and as <task>/: which of
// them is the answer is unknowable, so neither is graded.
std::set<std::string> both_layouts(const std::vector<FolderEntry>& files) {
  std::set<std::string> single, folders, both;
  for (const auto& file : files) {
    if (file.kind == EntryKind::kFolder) folders.insert(file.name);
    if (file.kind == EntryKind::kFile && !is_reasoning_file(file) &&
        fs::path(file.name).extension() == ".md")
      single.insert(task_of(file.name));
  }
  std::set_intersection(single.begin(), single.end(), folders.begin(), folders.end(),
                        std::inserter(both, both.end()));
  return both;
}

// <model>/<task>/: one answer per sample.
void load_sample_folder(const AnswerFolder& model_folder, const std::string& task,
                        const std::set<std::string>& known_tasks, const InputLimits& limits,
                        Seen& seen, RunInput& input) {
  std::string where = model_folder.where + "/" + printable(task);
  auto folder = open_folder_at(model_folder.fd, task);
  auto files =
      folder ? list_folder(folder->get()) : Result<std::vector<FolderEntry>>(folder.error());
  if (!files) {
    input.problems.push_back({"unreadable", where, safe_or_empty(model_folder.model),
                              safe_or_empty(task), printable(files.error().message)});
    return;
  }
  load_answers({folder->get(), model_folder.model, task, where}, *files, known_tasks, limits, seen,
               input);
}

// One model's folder: every entry is an answer, a folder of samples or a problem.
void load_model_folder(int root, const std::string& model, const std::string& where,
                       const std::set<std::string>& known_tasks, const InputLimits& limits,
                       Seen& seen, RunInput& input) {
  auto folder = open_folder_at(root, model);
  auto files =
      folder ? list_folder(folder->get()) : Result<std::vector<FolderEntry>>(folder.error());
  if (!files) {
    input.problems.push_back(
        {"unreadable", where, safe_or_empty(model), "", printable(files.error().message)});
    return;
  }
  auto both = both_layouts(*files);
  for (const auto& task : both)
    input.problems.push_back({"duplicate", where + "/" + printable(task), safe_or_empty(model),
                              safe_or_empty(task),
                              "both " + printable(task) + ".md and " + printable(task) +
                                  "/ hold answers: neither is graded"});
  std::vector<FolderEntry> singles;
  AnswerFolder here{folder->get(), model, "", where};
  for (const auto& file : *files) {
    if (both.count(task_of(file.name)) || both.count(file.name)) continue;
    if (file.kind == EntryKind::kFolder)
      load_sample_folder(here, file.name, known_tasks, limits, seen, input);
    else
      singles.push_back(file);
  }
  load_answers(here, singles, known_tasks, limits, seen, input);
}

// <run>/<model>/<task>.md, read without following any link below <run>.
Status load_directory(const fs::path& path, const std::set<std::string>& known_tasks,
                      const InputLimits& limits, RunInput& input) {
  auto root = open_folder(path);
  if (!root) return root.error();
  auto models = list_folder(root->get());
  if (!models) return models.error();
  Seen seen;
  std::string base = shown_root(path);
  for (const auto& entry : *models) {
    std::string where = base + "/" + printable(entry.name);
    if (entry.kind == EntryKind::kLink) {
      input.problems.push_back({"symlink", where, safe_or_empty(entry.name), "",
                                "a symbolic link: not followed, not graded"});
    } else if (entry.kind == EntryKind::kFolder) {
      load_model_folder(root->get(), entry.name, where, known_tasks, limits, seen, input);
    }  // else README.md and the like
  }
  return ok_status();
}

// A model that answered some tasks of the run but not all is marked. A
// too-large answer is an answer (it scores 0), not a missing one.
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
    if (p.kind == "too-large") {
      tasks.insert(p.task);
      have.insert({p.model, p.task});
    }
  }
  for (const auto& model : models) {
    for (const auto& task : tasks) {
      if (have.count({model, task})) continue;
      input.problems.push_back({"missing-answer", printable(input.path.filename().string()), model,
                                task, "no gradable answer from " + model + " for " + task});
    }
  }
}

}  // namespace

bool is_safe_id(const std::string& id) {
  if (id.empty() || id.size() > 128 || id == "." || id == "..") return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

void enforce_answer_limit(RunInput& input, const InputLimits& limits) {
  std::erase_if(input.answers, [&](const AnswerRecord& a) {
    const char* what = a.text.size() > limits.max_answer_bytes        ? "answer text"
                       : a.reasoning.size() > limits.max_answer_bytes ? "its reasoning"
                                                                      : nullptr;
    if (!what) return false;
    input.problems.push_back({"too-large", a.source, a.model, a.task,
                              over_limit(what, limits.max_answer_bytes), a.sample});
    return true;
  });
}

Result<RunInput> load_run_input(const fs::path& path, const std::set<std::string>& known_tasks,
                                const InputLimits& limits) {
  std::error_code ec;
  RunInput input;
  input.path = path;
  if (fs::is_directory(path, ec)) {
    if (auto s = load_directory(path, known_tasks, limits, input); !s)
      return Error{"load_run_input(" + path.string() + "): " + s.error().message};
  } else if (fs::is_regular_file(path, ec)) {
    load_jsonl(path, known_tasks, limits, input);
  } else {
    return Error{"load_run_input(" + path.string() + "): no such directory or JSONL file"};
  }
  std::sort(input.answers.begin(), input.answers.end(), [](const auto& a, const auto& b) {
    return std::tie(a.model, a.task, a.sample) < std::tie(b.model, b.task, b.sample);
  });
  report_missing(input);
  return input;
}

}  // namespace gradebox::pipeline
