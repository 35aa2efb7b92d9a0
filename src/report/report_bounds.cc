#include "report/report_bounds.h"

#include <utility>
#include <vector>

#include "report/json_text.h"
#include "util/sha256.h"
#include "util/utf8.h"

namespace gradebox {
namespace {

using nlohmann::json;

constexpr std::size_t kDigestHex = 16;
constexpr std::size_t kExcerptBytes = 200;

// One container being copied: where the walk is in the original, and the
// copy so far with the size of its compact text.
struct Frame {
  const json* original;
  json::const_iterator next;
  json copy;
  std::size_t bytes;
  std::string key;  // its (bounded) key in the parent object
};

Frame open_frame(const json& container, std::string key) {
  return {&container, container.cbegin(), container.is_array() ? json::array() : json::object(), 2,
          std::move(key)};
}

// Leaves and markers are small: their size is measured, not summed.
std::size_t text_size(const json& small) { return compact_text(small).size(); }

void attach(Frame& parent, std::string key, json value, std::size_t bytes) {
  if (!parent.copy.empty()) parent.bytes += 1;  // the comma
  if (parent.copy.is_object()) {
    parent.bytes += scalar_text(json(key)).size() + 1;
    parent.copy[key] = std::move(value);
  } else {
    parent.copy.push_back(std::move(value));
  }
  parent.bytes += bytes;
}

json bounded_leaf(const json& value, const ValueCaps& caps) {
  if (value.is_string())
    return bounded_string(value.get_ref<const std::string&>(), caps.string_bytes);
  return value;  // a number, a boolean, null, or a marker (small, kept as is)
}

}  // namespace

std::string bounded_string(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    std::string clean = utf8_clean(text);
    if (clean.size() <= max_bytes) return clean;
  }
  const std::string note = " ... [truncated: " + std::to_string(text.size()) + " bytes, sha256 " +
                           sha256_hex(text).substr(0, kDigestHex) + "]";
  return utf8_clean(text, max_bytes > note.size() ? max_bytes - note.size() : 0) + note;
}

json truncation_marker(const json& value) {
  Sha256 hash;
  std::size_t bytes = 0;
  std::string head;  // a few bytes more, so the cut below never splits a character
  write_compact(value, [&](std::string_view piece) {
    hash.add(piece);
    bytes += piece.size();
    if (head.size() < kExcerptBytes + 4)
      head.append(piece.substr(0, kExcerptBytes + 4 - head.size()));
    return true;
  });
  return {{"truncated", true},
          {"bytes", bytes},
          {"sha256", hash.hex().substr(0, kDigestHex)},
          {"excerpt", utf8_clean(head, kExcerptBytes)}};
}

bool is_truncation_marker(const json& value) {
  if (!value.is_object() || value.size() != 4) return false;
  auto text_of = [&](const char* key, std::size_t max) {
    auto it = value.find(key);
    return it != value.end() && it->is_string() && it->get_ref<const std::string&>().size() <= max;
  };
  auto truncated = value.find("truncated"), bytes = value.find("bytes");
  return truncated != value.end() && *truncated == true && bytes != value.end() &&
         bytes->is_number() && text_of("sha256", kDigestHex) && text_of("excerpt", kExcerptBytes);
}

json bounded_value(const json& value, const ValueCaps& caps) {
  if (!value.is_structured() || is_truncation_marker(value)) return bounded_leaf(value, caps);
  std::vector<Frame> stack;
  stack.push_back(open_frame(value, ""));
  while (true) {
    Frame& top = stack.back();
    // A container is finished when its items are copied or its size is over
    // the cap (the rest need not be copied: it becomes a marker).
    if (top.next == top.original->cend() || top.bytes > caps.container_bytes) {
      Frame done = std::move(top);
      stack.pop_back();
      const bool over = done.bytes > caps.container_bytes;
      json result = over ? truncation_marker(*done.original) : std::move(done.copy);
      if (stack.empty()) return result;
      const std::size_t bytes = over ? text_size(result) : done.bytes;
      attach(stack.back(), std::move(done.key), std::move(result), bytes);
      continue;
    }
    auto item = top.next++;
    std::string key =
        top.original->is_object() ? bounded_string(item.key(), caps.string_bytes) : "";
    const json& child = *item;
    if (!child.is_structured() || is_truncation_marker(child)) {
      json leaf = bounded_leaf(child, caps);
      const std::size_t bytes = text_size(leaf);
      attach(top, std::move(key), std::move(leaf), bytes);
    } else if (static_cast<int>(stack.size()) >= caps.depth) {
      json marker = truncation_marker(child);
      const std::size_t bytes = text_size(marker);
      attach(top, std::move(key), std::move(marker), bytes);
    } else {
      stack.push_back(open_frame(child, std::move(key)));  // `top` is not used after this
    }
  }
}

std::size_t report_text_bytes(const json& report) {
  return report.dump(2, ' ', false, json::error_handler_t::replace).size();
}

}  // namespace gradebox
