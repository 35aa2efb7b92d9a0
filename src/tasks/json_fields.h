// Typed reading of one JSON object from a task pack: each key is read into a
// typed field with its type checked, required keys must be there, and a key
// nobody reads (a typo) is an error. The first problem is kept as a one-line
// message naming the key's full path, e.g. `"limits.memory_mb" must be ...`.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gradebox {

enum class Need { kOptional, kRequired };

class JsonFields {
 public:
  /// `path` prefixes key names in messages ("" for the top level, "limits.").
  /// `problem` receives the first error and is shared by nested readers.
  JsonFields(const nlohmann::json& object, std::string path, std::string& problem);

  void read(const char* key, std::string& out, Need need = Need::kOptional);
  void read(const char* key, bool& out, Need need = Need::kOptional);
  void read(const char* key, double& out, Need need = Need::kOptional);
  void read(const char* key, int& out, Need need = Need::kOptional);
  void read(const char* key, std::uint64_t& out, Need need = Need::kOptional);
  void read(const char* key, std::vector<std::string>& out, Need need = Need::kOptional);
  /// A string that must be one of `allowed`; `out` is kept when the key is absent.
  void read_choice(const char* key, std::string& out, const std::vector<std::string>& allowed,
                   Need need = Need::kOptional);
  /// The key's value when it has `type` ("object" or "array"), else null.
  const nlohmann::json* nested(const char* key, nlohmann::json::value_t type, Need need);
  /// Marks a key as known without reading it (kept for the lead to remove).
  void accept(const char* key);
  /// Reports the first key nobody read; call after every read.
  void reject_unknown_keys();

  std::string name(const std::string& key) const { return "\"" + path_ + key + "\""; }
  void fail(const std::string& message);

 private:
  const nlohmann::json* find(const char* key, Need need);
  bool check(const char* key, const nlohmann::json& value, bool ok, const char* wanted);

  const nlohmann::json& object_;
  std::string path_;
  std::string& problem_;
  std::set<std::string> known_;
};

}  // namespace gradebox
