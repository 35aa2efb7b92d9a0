#include "check/observations.h"

#include <string_view>

#include "check/bounded_json.h"

namespace gradebox {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxProblems = 20;

void note(Observations& obs, std::string problem) {
  if (obs.problems.size() < kMaxProblems) obs.problems.push_back(std::move(problem));
}

void take_test(Observations& obs, const std::shared_ptr<const json>& event,
               const std::set<std::string>& known_ids) {
  auto id_field = event->find("id");
  auto status_field = event->find("status");
  if (id_field == event->end() || !id_field->is_string() || status_field == event->end() ||
      !status_field->is_string()) {
    note(obs, "test event without string id/status");
    return;
  }
  std::string id = id_field->get<std::string>();
  if (!known_ids.count(id)) {
    note(obs, "test event for unknown id " + id);
    return;
  }
  if (!obs.tests.emplace(id, event).second) {
    obs.untrusted.insert(id);
    note(obs, "test " + id + " reported more than once");
  }
}

void take_event(Observations& obs, json parsed, const std::set<std::string>& known_ids) {
  const std::string kind = parsed["event"].get<std::string>();
  auto event = std::make_shared<const json>(std::move(parsed));
  obs.events.push_back(event);
  if (kind == "start") {
    obs.started = true;
  } else if (kind == "load") {
    if (obs.load) {
      note(obs, "more than one load event");
    } else {
      obs.load = *event;
    }
  } else if (kind == "test") {
    take_test(obs, event, known_ids);
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

Observations parse_observations(const std::string& channel,
                                const std::set<std::string>& known_ids) {
  Observations obs;
  std::string_view rest(channel);  // lines are parsed in place, not copied
  int number = 0;
  while (!rest.empty()) {
    std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    ++number;
    if (line.empty()) continue;
    auto event = parse_bounded(line);
    if (!event.ok()) {
      // Over a declared limit: the test it carried counts as not reported,
      // and the detail names the limit (checker.cc).
      if (obs.limit_note.empty() && over_a_limit(event.error()))
        obs.limit_note = "a channel line was " + event.error().message;
      note(obs, "line " + std::to_string(number) + ": " + event.error().message);
      continue;
    }
    if (!event->is_object() || !event->contains("event") || !(*event)["event"].is_string()) {
      note(obs, "line " + std::to_string(number) + ": not a JSON event");
      continue;
    }
    take_event(obs, std::move(*event), known_ids);
  }
  return obs;
}

}  // namespace gradebox
