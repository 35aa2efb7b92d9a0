// SHA-256 (FIPS 180-4), streamed: a report that shortens a value the answer
// produced names the original by its digest, one a hostile answer cannot
// collide with another value, and that `sha256sum` of the original text (a
// string's bytes, a value's compact JSON) reproduces.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gradebox {

class Sha256 {
 public:
  Sha256();
  void add(std::string_view bytes);
  /// The 64 hex digits of everything added; the hasher is spent afterwards.
  std::string hex();

 private:
  void compress(const unsigned char* block);
  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

/// The 64 hex digits of SHA-256(`bytes`).
std::string sha256_hex(std::string_view bytes);

}  // namespace gradebox
