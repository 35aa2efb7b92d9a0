// Draining one of the program's pipes into a size-capped buffer.
#pragma once

// clang-format off
#include <utility>  // before asio: Boost 1.74 misses it in C++20
// clang-format on
#include <array>
#include <boost/asio.hpp>
#include <cstdint>
#include <functional>
#include <string>

namespace gradebox::sandbox {

/// Reads a pipe until EOF on an io_context; keeps the first `cap` bytes and
/// discards the rest, calling `on_overflow` once when the cap is passed and
/// `on_end` at EOF.
class Capture {
 public:
  Capture(boost::asio::io_context& io, int fd, std::uint64_t cap,
          std::function<void()> on_overflow = {}, std::function<void()> on_end = {});
  void start();
  std::string& data() { return data_; }
  bool truncated() const { return truncated_; }

 private:
  void read_more();
  boost::asio::posix::stream_descriptor pipe_;
  std::uint64_t cap_;
  std::function<void()> on_overflow_;
  std::function<void()> on_end_;
  std::array<char, 65536> buffer_;
  std::string data_;
  bool truncated_ = false;
};

}  // namespace gradebox::sandbox
