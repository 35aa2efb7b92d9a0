#include "tasks/json_fields.h"

namespace gradebox {

using nlohmann::json;

JsonFields::JsonFields(const json& object, std::string path, std::string& problem)
    : object_(object), path_(std::move(path)), problem_(problem) {
  std::string self = path_.empty() ? "the file" : "\"" + path_.substr(0, path_.size() - 1) + "\"";
  if (!object_.is_object()) fail(self + " must be an object");
}

void JsonFields::fail(const std::string& message) {
  if (problem_.empty()) problem_ = message;
}

const json* JsonFields::find(const char* key, Need need) {
  known_.insert(key);
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it != object_.end()) return &*it;
  if (need == Need::kRequired) fail(name(key) + " is required");
  return nullptr;
}

bool JsonFields::check(const char* key, const json& value, bool ok, const char* wanted) {
  if (!ok) fail(name(key) + " must be " + wanted + ", not " + value.type_name());
  return ok;
}

void JsonFields::read(const char* key, std::string& out, Need need) {
  const json* v = find(key, need);
  if (v && check(key, *v, v->is_string(), "a string")) out = v->get<std::string>();
}

void JsonFields::read(const char* key, bool& out, Need need) {
  const json* v = find(key, need);
  if (v && check(key, *v, v->is_boolean(), "a boolean")) out = v->get<bool>();
}

void JsonFields::read(const char* key, double& out, Need need) {
  const json* v = find(key, need);
  if (v && check(key, *v, v->is_number(), "a number")) out = v->get<double>();
}

void JsonFields::read(const char* key, int& out, Need need) {
  const json* v = find(key, need);
  if (v && check(key, *v, v->is_number_integer(), "an integer")) out = v->get<int>();
}

void JsonFields::read(const char* key, std::uint64_t& out, Need need) {
  const json* v = find(key, need);
  if (v && check(key, *v, v->is_number_unsigned(), "a non-negative integer"))
    out = v->get<std::uint64_t>();
}

void JsonFields::read(const char* key, std::vector<std::string>& out, Need need) {
  const json* v = find(key, need);
  if (!v || !check(key, *v, v->is_array(), "an array of strings")) return;
  out.clear();
  for (const auto& item : *v) {
    if (!check(key, item, item.is_string(), "an array of strings")) return;
    out.push_back(item.get<std::string>());
  }
}

void JsonFields::read_choice(const char* key, std::string& out,
                             const std::vector<std::string>& allowed, Need need) {
  const json* v = find(key, need);
  if (!v || !check(key, *v, v->is_string(), "a string")) return;
  const std::string value = v->get<std::string>();
  std::string listed;
  for (const auto& choice : allowed) {
    if (value == choice) {
      out = value;
      return;
    }
    listed += (listed.empty() ? "\"" : ", \"") + choice + "\"";
  }
  fail(name(key) + " must be " + (allowed.size() > 1 ? "one of " : "") + listed + ", not \"" +
       value + "\"");
}

const json* JsonFields::nested(const char* key, json::value_t type, Need need) {
  const json* v = find(key, need);
  if (!v) return nullptr;
  const char* wanted = type == json::value_t::object ? "an object" : "an array";
  return check(key, *v, v->type() == type, wanted) ? v : nullptr;
}

void JsonFields::accept(const char* key) { known_.insert(key); }

void JsonFields::reject_unknown_keys() {
  if (!object_.is_object()) return;
  for (const auto& [key, value] : object_.items()) {
    if (!known_.count(key)) fail("unknown key " + name(key));
  }
}

}  // namespace gradebox
