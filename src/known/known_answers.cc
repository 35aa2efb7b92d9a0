#include "known/known_answers.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace gradebox {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kReasoningSuffix = ".reasoning.txt";

// One key's problem, as the one line a pack author needs: file, key, what.
Error key_error(const fs::path& file, const std::string& key, const std::string& what) {
  return Error{file.string() + ": \"" + key + "\" " + what};
}

Status read_string(const fs::path& file, const json& value, const std::string& key,
                   std::string& out) {
  if (!value.is_string()) return key_error(file, key, "must be a string");
  out = value.get<std::string>();
  return ok_status();
}

Status read_bool(const fs::path& file, const json& value, const std::string& key, bool& out) {
  if (!value.is_boolean()) return key_error(file, key, "must be true or false");
  out = value.get<bool>();
  return ok_status();
}

Status read_categories(const fs::path& file, const json& value, const Task& task,
                       KnownAnswer& known) {
  if (!value.is_object()) return key_error(file, "categories", "must be an object");
  for (const auto& [category, result] : value.items()) {
    if (!task.category(category))
      return key_error(file, "categories", "names unknown category '" + category + "'");
    std::string text = result.is_string() ? result.get<std::string>() : "";
    if (text != "pass" && text != "fail" && text != "n/a")
      return key_error(file, "categories", category + " must be \"pass\", \"fail\" or \"n/a\"");
    known.categories.emplace_back(category, text);
  }
  return ok_status();
}

Status read_must_fail(const fs::path& file, const json& value, const Task& task,
                      KnownAnswer& known) {
  if (!value.is_array()) return key_error(file, "must_fail", "must be a list of categories");
  for (const auto& item : value) {
    if (!item.is_string()) return key_error(file, "must_fail", "must be a list of categories");
    if (!task.category(item.get<std::string>()))
      return key_error(file, "must_fail",
                       "names unknown category '" + item.get<std::string>() + "'");
    known.must_fail.push_back(item.get<std::string>());
  }
  return ok_status();
}

Status read_joined(const fs::path& file, const json& value, KnownAnswer& known) {
  std::vector<int> blocks;
  if (!value.is_array()) return key_error(file, "joined", "must be a list of block numbers");
  for (const auto& item : value) {
    if (!item.is_number_integer())
      return key_error(file, "joined", "must be a list of block numbers");
    blocks.push_back(item.get<int>());
  }
  known.joined = std::move(blocks);
  return ok_status();
}

Status read_key(const fs::path& file, const std::string& key, const json& value, const Task& task,
                KnownAnswer& known) {
  if (key == "verdict") return read_string(file, value, key, known.verdict);
  if (key == "categories") return read_categories(file, value, task, known);
  if (key == "must_fail") return read_must_fail(file, value, task, known);
  if (key == "twin") return read_string(file, value, key, known.twin);
  if (key == "judged") return read_string(file, value, key, known.judged);
  if (key == "flaky") return read_bool(file, value, key, known.flaky);
  if (key == "finish_reason") return read_string(file, value, key, known.finish_reason);
  if (key == "from_reasoning") return read_bool(file, value, key, known.from_reasoning);
  if (key == "truncated") return read_bool(file, value, key, known.truncated);
  if (key == "joined") return read_joined(file, value, known);
  return key_error(file, key, "is not a known-answer key");
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.ends_with(suffix);
}

// The known answer each file belongs to, or an Error for a stray file.
Result<std::string> answer_name(const fs::path& file) {
  std::string base = file.filename().string();
  if (ends_with(base, kReasoningSuffix))
    return base.substr(0, base.size() - std::string(kReasoningSuffix).size());
  if (file.extension() == ".md" || file.extension() == ".json") return file.stem().string();
  return Error{file.string() + ": not a known answer (<name>.md, .json or .reasoning.txt)"};
}

Status check_pairs(const fs::path& dir, const std::map<std::string, std::set<std::string>>& files) {
  for (const auto& [name, kinds] : files) {
    if (!kinds.count(".md"))
      return Error{(dir / (name + ".json")).string() + ": no answer " + name + ".md beside it"};
    if (!kinds.count(".json"))
      return Error{(dir / (name + ".md")).string() + ": no expectation " + name +
                   ".json beside it"};
  }
  return ok_status();
}

Status check_twins(const std::vector<KnownAnswer>& answers) {
  std::set<std::string> names;
  for (const auto& known : answers) names.insert(known.name);
  for (const auto& known : answers) {
    if (known.twin.empty()) continue;
    if (known.twin == known.name || !names.count(known.twin))
      return Error{known.answer.parent_path().string() + "/" + known.name +
                   ".json: \"twin\" names no other known answer: '" + known.twin + "'"};
  }
  return ok_status();
}

}  // namespace

fs::path known_dir(const Task& task) { return task.dir / "known"; }

Result<KnownAnswer> read_expectation(const fs::path& json_file, const Task& task) {
  std::ifstream in(json_file);
  if (!in) return Error{json_file.string() + ": cannot be read"};
  json expectation = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!expectation.is_object()) return Error{json_file.string() + ": not a JSON object"};
  KnownAnswer known;
  known.name = json_file.stem().string();
  known.answer = json_file.parent_path() / (known.name + ".md");
  for (const auto& [key, value] : expectation.items()) {
    if (auto s = read_key(json_file, key, value, task, known); !s) return s.error();
  }
  auto reasoning = json_file.parent_path() / (known.name + kReasoningSuffix);
  if (fs::exists(reasoning)) known.reasoning = reasoning;
  return known;
}

Result<std::vector<KnownAnswer>> load_known_answers(const Task& task) {
  const fs::path dir = known_dir(task);
  std::vector<KnownAnswer> answers;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return answers;
  std::map<std::string, std::set<std::string>> files;  // name -> {".md", ".json", ...}
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto name = answer_name(entry.path());
    if (!name.ok()) return name.error();
    files[*name].insert(ends_with(entry.path().string(), kReasoningSuffix)
                            ? kReasoningSuffix
                            : entry.path().extension().string());
  }
  if (ec) return Error{dir.string() + ": " + ec.message()};
  if (auto s = check_pairs(dir, files); !s) return s.error();
  for (const auto& [name, kinds] : files) {
    auto known = read_expectation(dir / (name + ".json"), task);
    if (!known.ok()) return known.error();
    answers.push_back(std::move(*known));
  }
  if (auto s = check_twins(answers); !s) return s.error();
  return answers;
}

}  // namespace gradebox
