// What a harness reported on the result channel (fd 3), parsed strictly:
// the channel crosses the trust boundary, so anything odd about a test's
// lines (duplicates, malformed JSON, wrong types) makes that test untrusted,
// and untrusted means fail, never pass.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gradebox {

struct Observations {
  bool started = false;                // the harness's "start" event
  std::optional<nlohmann::json> load;  // first "load" event
  // Events are shared, not copied: a test's value can be a 200,000-element
  // list, and each deep copy of it cost as much as parsing it.
  std::map<std::string, std::shared_ptr<const nlohmann::json>> tests;  // "test" events by id
  std::set<std::string> untrusted;                            // ids reported more than once
  std::vector<std::shared_ptr<const nlohmann::json>> events;  // every well-formed event, in order
  std::vector<std::string> problems;                          // malformed lines, unknown ids, ...
  bool done = false;                                          // the "done" event arrived
  // The first of the answer's data refused by a declared limit: a channel
  // line, or the trusted prober's output (grade/harness_run.cc).
  std::string limit_note;
};

/// Field readers for untrusted events: a missing field or one of the wrong
/// type gives the fallback, never an exception.
std::string text_field(const nlohmann::json& event, const char* key);
double number_field(const nlohmann::json& event, const char* key, double fallback = 0);
bool flag_field(const nlohmann::json& event, const char* key);

/// Parses the channel; `known_ids` are the tests this run asked for.
Observations parse_observations(const std::string& channel, const std::set<std::string>& known_ids);

}  // namespace gradebox
