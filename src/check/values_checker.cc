// The built-in checker: a test's `expect` names values the answer must
// produce (value, input_after) or that it must raise. Comparison is strict
// on JSON types: 1 is not 1.0 and true is not 1 (nlohmann's == would say so).
#include "check/checker.h"

namespace gradebox {
namespace {

using nlohmann::json;

bool strict_equal(const json& a, const json& b) {
  // Signed and unsigned are one JSON integer (the parser makes 1 unsigned).
  if (a.is_number_integer() && b.is_number_integer()) return a == b;
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!strict_equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !strict_equal(*it, *other)) return false;
    }
    return true;
  }
  return a == b;
}

// "a list of 200000 items starting [1, 2, 3, 4, 5]", from a value digest.
std::string digest_brief(const json& digest) {
  if (!digest.is_object() || !digest.contains("length") || !digest.contains("head"))
    return "a value";
  return "a list of " + brief(digest["length"], 40) + " items starting " +
         brief(digest["head"], 80);
}

// A large expected value is held as its digest (gb_json.digest_plain): the
// sha256 of its JSON text, and the harness reports the answer's the same way.
TestResult judge_digest(TestResult r, const json& expected, const json& event) {
  auto got = event.find("value_digest");
  if (got == event.end() || !got->is_object()) {
    r.status = TestStatus::kFail;
    r.detail = "no value digest reported";
    return r;
  }
  // text_field: the event is the answer's data, and a sha256 of another type must fail, not throw.
  if (text_field(*got, "sha256") == expected.value("sha256", std::string("-"))) {
    r.status = TestStatus::kPass;
    return r;
  }
  r.status = TestStatus::kFail;
  r.detail = "expected " + digest_brief(expected) + ", got " + digest_brief(*got) +
             " (the values' sha256 digests differ)";
  return r;
}

TestResult judge(const json& test, const CheckInput& in) {
  const std::string id = test.at("id").get<std::string>();
  const json& expect = test.at("expect");
  if (auto early = status_before_value(test, in.observations, in.outcome)) return *early;
  const bool wants_raise = expect.contains("raises") && expect["raises"] == true;
  TestResult r;
  r.id = id;
  const json& event = *in.observations.tests.at(id);
  r.time_ms = number_field(event, "time_ms");
  if (wants_raise) {
    r.status = TestStatus::kFail;
    r.detail = "expected an exception, got " + brief(event.value("value", json()));
    return r;
  }
  if (expect.contains("value_digest")) {
    TestResult digest = judge_digest(r, expect["value_digest"], event);
    if (digest.status != TestStatus::kPass) return digest;
  }
  for (const char* key : {"value", "input_after"}) {
    if (!expect.contains(key)) continue;
    if (!event.contains(key)) {
      r.status = TestStatus::kFail;
      r.detail = std::string("no ") + key + " reported";
      return r;
    }
    if (!strict_equal(expect[key], event[key])) {
      r.status = TestStatus::kFail;
      r.detail = std::string(key == std::string("value") ? "" : "argument after the call: ") +
                 "expected " + brief(expect[key], 160) + ", got " + brief(event[key], 160);
      return r;
    }
  }
  r.status = TestStatus::kPass;
  return r;
}

}  // namespace

Result<CheckResult> check_values(const CheckInput& in) {
  CheckResult result;
  for (const auto& test : in.tests) {
    std::string id = test.at("id").get<std::string>();
    if (!test.contains("expect") || !test["expect"].is_object())
      return Error{in.task.id + ": test " + id + " has no expect object"};
    result.results[id] = judge(test, in);
  }
  return result;
}

}  // namespace gradebox
