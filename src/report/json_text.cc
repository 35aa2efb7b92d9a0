#include "report/json_text.h"

#include <vector>

namespace gradebox {
namespace {

using nlohmann::json;

struct Open {
  const json* container;
  json::const_iterator next;
};

}  // namespace

std::string scalar_text(const json& scalar) {
  return scalar.dump(-1, ' ', false, json::error_handler_t::replace);
}

void write_compact(const json& value, const JsonSink& sink) {
  std::vector<Open> open;
  // Writes a scalar whole, or a container's opening bracket (its items follow).
  auto enter = [&](const json& v) {
    if (!v.is_structured()) return sink(scalar_text(v));
    open.push_back({&v, v.cbegin()});
    return sink(v.is_array() ? "[" : "{");
  };
  if (!enter(value)) return;
  while (!open.empty()) {
    Open& top = open.back();
    const json& container = *top.container;
    if (top.next == container.cend()) {
      open.pop_back();
      if (!sink(container.is_array() ? "]" : "}")) return;
      continue;
    }
    auto item = top.next++;
    if (item != container.cbegin() && !sink(",")) return;
    if (container.is_object() && !sink(scalar_text(json(item.key())) + ":")) return;
    if (!enter(*item)) return;  // may grow `open`: `top` is not used after this
  }
}

std::string compact_text(const json& value, std::size_t max_bytes) {
  std::string text;
  write_compact(value, [&](std::string_view piece) {
    const std::size_t room = max_bytes - text.size();
    text.append(piece.substr(0, room));
    return piece.size() < room;
  });
  return text;
}

}  // namespace gradebox
