// Reasoning spans of an answer (docs/extraction.md, "Reasoning"): text
// inside <think>…</think> (also <thinking>, <reasoning>), and everything
// before a lone </think> whose opening tag the API stripped. The answer is
// cut into segments, each parsed as markdown on its own, so a fence left
// open in the reasoning cannot swallow the answer proper. Also says whether
// the answer ends inside an unclosed fence (cut at the token limit).
// Private to src/extract/.
#pragma once

#include <string_view>
#include <vector>

namespace gradebox::extract_detail {

/// A run of the answer's text that is all reasoning or all answer proper.
struct Segment {
  std::string_view text;
  int first_line = 1;  // 1-based line of text[0] in the whole answer
  bool reasoning = false;
  bool unclosed = false;  // reasoning whose closing tag never came
};

/// The answer as segments in order, tags left out; one answer segment when
/// there is no reasoning. `text` must outlive the views.
std::vector<Segment> split_reasoning(std::string_view text);

/// True when the answer proper ends inside an open fence, or the answer
/// ends inside an unclosed reasoning span.
bool ends_cut_off(const std::vector<Segment>& segments);

}  // namespace gradebox::extract_detail
