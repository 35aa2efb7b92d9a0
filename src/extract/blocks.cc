// extract_blocks: the answer's code blocks, found by libcmark (the CommonMark
// reference parser) so fences, indented blocks, unclosed fences and blocks in
// lists or quotes follow the spec rather than a hand-written scanner.
#include <cmark.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bare_code.h"
#include "filename.h"
#include "gradebox/extract.h"
#include "language_names.h"
#include "reasoning.h"
#include "text_util.h"

namespace gradebox {
namespace {

using namespace extract_detail;

using Lines = std::vector<std::string_view>;

// A filename label may sit this many blank lines above its block.
constexpr int kMaxBlankLinesBeforeBlock = 1;
// ```markdown wrappers are unwrapped this deep, no deeper.
constexpr int kMaxMarkdownNesting = 2;

struct DocumentDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IterDeleter {
  void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};

std::string_view first_line_of(std::string_view text) { return text.substr(0, text.find('\n')); }

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// cmark 0.30 has no cmark_node_get_fenced, and the info string is empty both
// for indented blocks and for untagged fences. So look at the source: a
// fence starts where cmark says the block starts, and (unlike an indented
// block whose text starts with ```) its code does not begin on that line.
bool is_indented(cmark_node* node, const Lines& lines, std::string_view literal) {
  const char* info = cmark_node_get_fence_info(node);
  if (info != nullptr && info[0] != '\0') return false;
  size_t line_index = static_cast<size_t>(cmark_node_get_start_line(node) - 1);
  if (line_index >= lines.size()) return false;
  std::string_view line = lines[line_index];
  size_t column = static_cast<size_t>(cmark_node_get_start_column(node) - 1);
  std::string_view at = trim(line.substr(std::min(column, line.size())));
  bool fence_run = at.substr(0, 3) == "```" || at.substr(0, 3) == "~~~";
  if (!fence_run) return true;
  return trim_right(at) == trim(first_line_of(literal));
}

// A filename label on the line(s) just above a block's first source line.
std::string filename_above(const Lines& lines, int block_start_line) {
  int index = block_start_line - 2;  // 0-based index of the line above
  for (int blanks = 0; index >= 0 && is_blank(lines[index]) && blanks < kMaxBlankLinesBeforeBlock;
       ++blanks) {
    --index;
  }
  if (index < 0) return {};
  return filename_from_line(lines[index]);
}

// Tag first (its language word, else its file name's extension), then
// content; a detected "text" still takes a file name's language.
void resolve_language(Candidate& block) {
  InfoString info = parse_info_string(block.info);
  block.filename = info.filename;
  std::string tagged = canonical_language(info.language_word);
  if (tagged.empty() && !info.filename.empty()) tagged = language_from_filename(info.filename);
  if (!tagged.empty()) {
    block.language = tagged;
    block.language_from = "tag";
    return;
  }
  block.language = detect_language(block.code);
  block.language_from = "content";
}

// A label or first comment names the block's file unless its extension
// contradicts the block ("Save as `flatten.py`, then run:" above a shell
// block).
void resolve_filename(Candidate& block, const Lines& lines, int block_start_line) {
  if (!block.filename.empty()) return;
  for (const std::string& name :
       {filename_above(lines, block_start_line), filename_from_first_comment(block.code)}) {
    if (name.empty()) continue;
    std::string named = language_from_filename(name);
    if (named.empty() || compatible_languages(named, block.language)) {
      block.filename = name;
      return;
    }
    if (block.language == "text") {
      block.filename = name;
      block.language = named;
      return;
    }
  }
}

Candidate make_candidate(cmark_node* node, const Lines& lines) {
  Candidate block;
  const char* literal = cmark_node_get_literal(node);
  block.code = literal ? literal : "";
  const char* info = cmark_node_get_fence_info(node);
  block.info = info ? info : "";
  block.indented = is_indented(node, lines, block.code);
  int start_line = cmark_node_get_start_line(node);
  block.first_line = block.indented ? start_line : start_line + 1;
  resolve_language(block);
  resolve_filename(block, lines, start_line);
  return block;
}

std::vector<Candidate> markdown_blocks(const std::string& text, const Lines& lines, int depth);

// Some models wrap their whole answer in a ```markdown fence; its inner
// fences are then the answer's code, so they replace the wrapper.
void append_block(std::vector<Candidate>& blocks, Candidate block, int depth) {
  if (block.language == "markdown" && block.language_from == "tag" && depth < kMaxMarkdownNesting) {
    std::vector<Candidate> inner = markdown_blocks(block.code, split_lines(block.code), depth + 1);
    for (Candidate& nested : inner) nested.first_line += block.first_line - 1;
    if (!inner.empty()) {
      blocks.insert(blocks.end(), inner.begin(), inner.end());
      return;
    }
  }
  blocks.push_back(std::move(block));
}

std::vector<Candidate> markdown_blocks(const std::string& text, const Lines& lines, int depth) {
  std::unique_ptr<cmark_node, DocumentDeleter> document(
      cmark_parse_document(text.data(), text.size(), CMARK_OPT_DEFAULT));
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(document.get()));
  std::vector<Candidate> blocks;
  cmark_event_type event;
  while ((event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    if (event != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_CODE_BLOCK) continue;
    const char* literal = cmark_node_get_literal(node);
    if (literal == nullptr || is_blank(literal)) continue;  // nothing to grade
    append_block(blocks, make_candidate(node, lines), depth);
  }
  return blocks;
}

Candidate bare_candidate(const BareCode& bare) {
  Candidate block;
  block.code = bare.code;
  block.first_line = bare.first_line;
  block.language = detect_language(bare.code);
  block.language_from = "bare";
  block.filename = filename_from_first_comment(bare.code);
  return block;
}

// One segment's blocks (reasoning or answer proper), lines counted in the
// whole answer.
std::vector<Candidate> segment_blocks(const Segment& segment) {
  std::string text(segment.text);
  std::vector<Candidate> blocks = markdown_blocks(text, split_lines(text), 0);
  for (Candidate& block : blocks) {
    block.first_line += segment.first_line - 1;
    block.reasoning = segment.reasoning;
  }
  return blocks;
}

// Without a fence, indented "blocks" may just be the bodies of bare code
// (a blank line inside a Python function starts one), so bare code wins:
// one candidate per segment that holds some.
std::vector<Candidate> bare_blocks(const std::vector<Segment>& segments) {
  std::vector<Candidate> blocks;
  for (const Segment& segment : segments) {
    auto bare = find_bare_code(split_lines(segment.text));
    if (!bare) continue;
    blocks.push_back(bare_candidate(*bare));
    blocks.back().first_line += segment.first_line - 1;
    blocks.back().reasoning = segment.reasoning;
  }
  return blocks;
}

}  // namespace

std::vector<Candidate> extract_blocks(const std::string& answer) {
  std::string text = normalize_newlines(answer);
  std::vector<Segment> segments = split_reasoning(text);
  std::vector<Candidate> blocks;
  for (const Segment& segment : segments) {
    std::vector<Candidate> found = segment_blocks(segment);
    blocks.insert(blocks.end(), std::make_move_iterator(found.begin()),
                  std::make_move_iterator(found.end()));
  }
  bool any_fenced = std::any_of(blocks.begin(), blocks.end(),
                                [](const Candidate& block) { return !block.indented; });
  if (!any_fenced) {
    std::vector<Candidate> bare = bare_blocks(segments);
    if (!bare.empty()) blocks = std::move(bare);
  }
  for (size_t i = 0; i < blocks.size(); ++i) blocks[i].index = static_cast<int>(i);
  return blocks;
}

bool answer_cut_off(const std::string& answer) {
  std::string text = normalize_newlines(answer);
  return ends_cut_off(split_reasoning(text));
}

}  // namespace gradebox
