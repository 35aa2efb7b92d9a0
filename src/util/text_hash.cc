#include "util/text_hash.h"

#include <cstdio>

namespace gradebox {
namespace {

constexpr std::uint64_t kFnvPrime = 1099511628211ull;

}  // namespace

std::uint64_t fnv1a(std::string_view text, std::uint64_t state) {
  for (unsigned char c : text) {
    state ^= c;
    state *= kFnvPrime;
  }
  return state;
}

std::string hash_text(std::string_view text, std::uint64_t seed) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(fnv1a(text, seed ? seed : kFnvOffset)));
  return buf;
}

}  // namespace gradebox
