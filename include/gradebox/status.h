// Errors as values: a gradebox fault is a Result holding an Error that names
// the failed call and its argument. Exceptions become one line only at the
// CLI's top.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace gradebox {

/// One line naming what failed, e.g. "mkdir(/sys/fs/cgroup/x, 0755): EACCES".
struct Error {
  std::string message;
};

/// Either a T or an Error. Cheap to move; check ok() before value().
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}
  Result(Error error) : data_(std::move(error)) {}

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(data_); }
  const T& value() const { return std::get<0>(data_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

/// Result for calls that return nothing but may fail.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace gradebox
