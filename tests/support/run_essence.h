// The stable part of a stored run: what a single machine and merged shards
// must agree on (answers, and per answer the grader, verdict, scores and
// every test's status), as text so a mismatch prints as a readable diff.
#pragma once

#include <string>

#include "pipeline/history.h"

namespace gradebox::testing {

inline std::string run_essence(const pipeline::RunView& v) {
  std::string out = v.meta.id + "|" + v.meta.fingerprint + "\n";
  for (const auto& a : v.answers)
    out += a.record.model + "/" + a.record.task + " " + a.hash + " " +
           pipeline::answer_hash(a.record.reasoning) + " " + a.record.finish_reason + "\n";
  for (const auto& [key, r] : v.results) {
    out += answer_name(key) + " " + to_string(r.report.verdict) + " " +
           std::to_string(r.report.correctness.score) + " " +
           std::to_string(r.report.edge_cases.score) + " " + r.answer_hash + " " + r.grader_stamp;
    for (const auto& t : r.report.tests) out += " " + t.id + "=" + to_string(t.status);
    out += "\n";
  }
  for (const auto& p : v.problems) out += p.kind + " " + p.location + "\n";
  return out;
}

}  // namespace gradebox::testing
