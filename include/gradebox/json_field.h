// A JSON value held by a public struct (a report's load, environment and
// extra) without the public header including nlohmann/json.hpp: the value
// sits behind a pointer, so json_fwd.hpp is enough here and only the files
// that read or write the JSON pay for compiling nlohmann. Value semantics:
// a copy is a deep copy; an empty field reads as JSON null.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

namespace gradebox {

class JsonField {
 public:
  JsonField();
  JsonField(const JsonField& other);
  JsonField(JsonField&& other) noexcept;
  JsonField& operator=(const JsonField& other);
  JsonField& operator=(JsonField&& other) noexcept;
  JsonField& operator=(nlohmann::json value);
  ~JsonField();

  /// The value; null until something is written.
  const nlohmann::json& operator*() const;
  nlohmann::json& operator*();
  const nlohmann::json* operator->() const { return &**this; }
  nlohmann::json* operator->() { return &**this; }

 private:
  std::unique_ptr<nlohmann::json> value_;  // nullptr reads as null
};

}  // namespace gradebox
