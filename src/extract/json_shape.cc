#include "json_shape.h"

#include <cctype>

namespace gradebox::extract_detail {
namespace {

constexpr int kMaxDepth = 256;

class JsonValidator {
 public:
  explicit JsonValidator(std::string_view text) : text_(text) {}

  bool document() {
    skip_space();
    if (pos_ >= text_.size() || (text_[pos_] != '{' && text_[pos_] != '[')) return false;
    if (!value(0)) return false;
    skip_space();
    return pos_ == text_.size();
  }

 private:
  bool value(int depth) {
    if (depth > kMaxDepth) return false;
    skip_space();
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '{':
        return container(depth, '}', true);
      case '[':
        return container(depth, ']', false);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  // Objects and arrays share the loop; objects need "key": before values.
  bool container(int depth, char close, bool is_object) {
    ++pos_;
    skip_space();
    if (peek() == close) return ++pos_, true;
    while (true) {
      if (is_object) {
        skip_space();
        if (peek() != '"' || !string()) return false;
        skip_space();
        if (peek() != ':') return false;
        ++pos_;
      }
      if (!value(depth + 1)) return false;
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != close) return false;
      ++pos_;
      return true;
    }
  }

  bool string() {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        if (pos_ >= text_.size()) return false;
        char escaped = text_[pos_++];
        if (std::string_view("\"\\/bfnrtu").find(escaped) == std::string_view::npos) return false;
      }
    }
    return false;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool number() {
    size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (!digits()) return false;
    if (peek() == '.') {
      ++pos_;
      if (!digits()) return false;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digits()) return false;
    }
    return pos_ > start;
  }

  bool digits() {
    size_t start = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    return pos_ > start;
  }

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void skip_space() {
    while (pos_ < text_.size() &&
           std::string_view(" \t\n\r").find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

bool is_json_document(std::string_view text) { return JsonValidator(text).document(); }

}  // namespace gradebox::extract_detail
