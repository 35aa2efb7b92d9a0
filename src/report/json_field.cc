#include "gradebox/json_field.h"

#include <nlohmann/json.hpp>

namespace gradebox {

JsonField::JsonField() = default;
JsonField::JsonField(const JsonField& other)
    : value_(other.value_ ? std::make_unique<nlohmann::json>(*other.value_) : nullptr) {}
JsonField::JsonField(JsonField&& other) noexcept = default;
JsonField& JsonField::operator=(const JsonField& other) {
  if (this != &other)
    value_ = other.value_ ? std::make_unique<nlohmann::json>(*other.value_) : nullptr;
  return *this;
}
JsonField& JsonField::operator=(JsonField&& other) noexcept = default;
JsonField& JsonField::operator=(nlohmann::json value) {
  value_ = std::make_unique<nlohmann::json>(std::move(value));
  return *this;
}
JsonField::~JsonField() = default;

const nlohmann::json& JsonField::operator*() const {
  static const nlohmann::json kNull;
  return value_ ? *value_ : kNull;
}

nlohmann::json& JsonField::operator*() {
  if (!value_) value_ = std::make_unique<nlohmann::json>();
  return *value_;
}

}  // namespace gradebox
