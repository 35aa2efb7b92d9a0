#include "reasoning.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "text_util.h"

namespace gradebox::extract_detail {
namespace {

constexpr std::array<std::string_view, 3> kTagNames = {"thinking", "think", "reasoning"};

// Case-insensitive find of `needle` (lower case) in `hay` from `from`.
size_t find_lower(std::string_view hay, std::string_view needle, size_t from = 0) {
  auto it =
      std::search(hay.begin() + std::min(from, hay.size()), hay.end(), needle.begin(), needle.end(),
                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it == hay.end() ? std::string_view::npos : static_cast<size_t>(it - hay.begin());
}

struct Tag {
  size_t at = std::string_view::npos;  // offset of '<'
  size_t end = 0;                      // offset just past '>'
  std::string_view name;
};

// The first opening tag (<think>, <thinking>, <reasoning>) in `line`.
std::optional<Tag> opening_tag(std::string_view line) {
  std::optional<Tag> first;
  for (std::string_view name : kTagNames) {
    std::string open = "<" + std::string(name) + ">";
    size_t at = find_lower(line, open);
    if (at != std::string_view::npos && (!first || at < first->at))
      first = Tag{at, at + open.size(), name};
  }
  return first;
}

std::optional<Tag> closing_tag(std::string_view text, std::string_view name, size_t from = 0) {
  std::string close = "</" + std::string(name) + ">";
  size_t at = find_lower(text, close, from);
  if (at == std::string_view::npos) return std::nullopt;
  return Tag{at, at + close.size(), name};
}

// A CommonMark-like fence tracker, line by line: enough to tell whether a
// tag sits inside a code block and whether the text ends inside one.
class Fences {
 public:
  // Feeds one line; true when the line opened or closed a fence, or is inside one.
  bool feed(std::string_view line) {
    std::string_view t = trim(line);
    char c = t.empty() ? '\0' : t[0];
    size_t run = 0;
    while (run < t.size() && t[run] == c && (c == '`' || c == '~')) ++run;
    if (open_run_ > 0) {
      if (c == open_char_ && run >= open_run_ && trim(t.substr(run)).empty()) open_run_ = 0;
      return true;
    }
    if (run >= 3 && !(c == '`' && t.substr(run).find('`') != std::string_view::npos)) {
      open_char_ = c;
      open_run_ = run;
      return true;
    }
    return false;
  }
  bool open() const { return open_run_ > 0; }

 private:
  char open_char_ = 0;
  size_t open_run_ = 0;
};

int line_of(std::string_view text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  std::vector<Segment> run() {
    size_t pos = lone_closing_end();
    while (pos < text_.size()) pos = answer_from(pos);
    return std::move(segments_);
  }

 private:
  void add(size_t begin, size_t end, bool reasoning, bool unclosed = false) {
    if (end > begin || unclosed)
      segments_.push_back(
          {text_.substr(begin, end - begin), line_of(text_, begin), reasoning, unclosed});
  }

  // An API that strips the opening tag leaves a </think> with no <think>
  // before it: everything up to it is reasoning.
  size_t lone_closing_end() {
    auto close = closing_tag(text_, "think");
    if (!close) return 0;
    auto open = opening_tag(text_.substr(0, close->at));
    if (open) return 0;
    add(0, close->at, true);
    return close->end;
  }

  // Answer text from `pos` up to the next opening tag outside a fence; then
  // the reasoning up to its closing tag (or the end). Returns where to go on.
  size_t answer_from(size_t pos) {
    Fences fences;
    size_t line_start = pos;
    while (line_start < text_.size()) {
      size_t line_end = std::min(text_.find('\n', line_start), text_.size());
      std::string_view line = text_.substr(line_start, line_end - line_start);
      std::optional<Tag> open;
      if (!fences.feed(line)) open = opening_tag(line);
      if (open) {
        add(pos, line_start + open->at, false);
        return reasoning_from(line_start + open->end, open->name);
      }
      line_start = line_end + 1;
    }
    add(pos, text_.size(), false);
    return text_.size();
  }

  size_t reasoning_from(size_t pos, std::string_view name) {
    auto close = closing_tag(text_, name, pos);
    size_t end = close ? close->at : text_.size();
    add(pos, end, true, !close);
    return close ? close->end : text_.size();
  }

  std::string_view text_;
  std::vector<Segment> segments_;
};

bool ends_in_open_fence(std::string_view text) {
  Fences fences;
  for (std::string_view line : split_lines(text)) fences.feed(line);
  return fences.open();
}

}  // namespace

std::vector<Segment> split_reasoning(std::string_view text) {
  std::vector<Segment> segments = Splitter(text).run();
  if (segments.empty()) segments.push_back({text, 1, false});
  return segments;
}

bool ends_cut_off(const std::vector<Segment>& segments) {
  if (segments.empty()) return false;
  const Segment& last = segments.back();
  return last.reasoning ? last.unclosed : ends_in_open_fence(last.text);
}

}  // namespace gradebox::extract_detail
