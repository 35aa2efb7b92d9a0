#include "capture.h"

namespace gradebox::sandbox {

Capture::Capture(boost::asio::io_context& io, int fd, std::uint64_t cap,
                 std::function<void()> on_overflow, std::function<void()> on_end)
    : pipe_(io, fd), cap_(cap), on_overflow_(std::move(on_overflow)), on_end_(std::move(on_end)) {}

void Capture::start() { read_more(); }

void Capture::read_more() {
  pipe_.async_read_some(boost::asio::buffer(buffer_),
                        [this](const boost::system::error_code& error, std::size_t length) {
                          if (error) {  // EOF: every writer in the sandbox is gone
                            pipe_.close();
                            if (on_end_) on_end_();
                            return;
                          }
                          std::uint64_t room = cap_ > data_.size() ? cap_ - data_.size() : 0;
                          data_.append(buffer_.data(), std::min<std::uint64_t>(room, length));
                          if (length > room && !truncated_) {
                            truncated_ = true;
                            if (on_overflow_) on_overflow_();
                          }
                          read_more();
                        });
}

}  // namespace gradebox::sandbox
