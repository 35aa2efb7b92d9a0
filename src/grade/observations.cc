#include "grade/observations.h"

#include <sstream>

namespace gradebox {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxProblems = 20;

void note(Observations& obs, std::string problem) {
  if (obs.problems.size() < kMaxProblems) obs.problems.push_back(std::move(problem));
}

void take_test(Observations& obs, json event, const std::set<std::string>& known_ids) {
  if (!event.contains("id") || !event["id"].is_string() || !event.contains("status") ||
      !event["status"].is_string()) {
    note(obs, "test event without string id/status");
    return;
  }
  std::string id = event["id"].get<std::string>();
  if (!known_ids.count(id)) {
    note(obs, "test event for unknown id " + id);
    return;
  }
  if (!obs.tests.emplace(id, std::move(event)).second) {
    obs.untrusted.insert(id);
    note(obs, "test " + id + " reported more than once");
  }
}

void take_event(Observations& obs, json event, const std::set<std::string>& known_ids) {
  const std::string kind = event["event"].get<std::string>();
  obs.events.push_back(event);
  if (kind == "start") {
    obs.started = true;
  } else if (kind == "load") {
    if (obs.load) {
      note(obs, "more than one load event");
    } else {
      obs.load = std::move(event);
    }
  } else if (kind == "test") {
    take_test(obs, std::move(event), known_ids);
  } else if (kind == "done") {
    obs.done = true;
  }
}

}  // namespace

std::string text_field(const json& event, const char* key) {
  auto it = event.find(key);
  return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_field(const json& event, const char* key, double fallback) {
  auto it = event.find(key);
  return it != event.end() && it->is_number() ? it->get<double>() : fallback;
}

bool flag_field(const json& event, const char* key) {
  auto it = event.find(key);
  return it != event.end() && it->is_boolean() && it->get<bool>();
}

Observations parse_observations(const std::string& channel, const std::set<std::string>& known_ids) {
  Observations obs;
  std::istringstream lines(channel);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty()) continue;
    json event = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (event.is_discarded() || !event.is_object() || !event.contains("event") ||
        !event["event"].is_string()) {
      note(obs, "line " + std::to_string(number) + ": not a JSON event");
      continue;
    }
    take_event(obs, std::move(event), known_ids);
  }
  return obs;
}

}  // namespace gradebox
