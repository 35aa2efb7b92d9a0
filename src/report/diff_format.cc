// `gradebox diff` output: text for people, JSON for programs, JUnit XML for
// CI dashboards (one test case per compared answer; a regression fails it).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/diff_format.h"
#include "report/html_charts.h"
#include "util/utf8.h"

namespace gradebox::pipeline {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string label(const AnswerDiff& d) {
  if (d.regression) return "REGRESSION";
  if (d.flake) return "flake?";
  if (d.drop) return "drop (not significant)";
  return "changed";
}

std::string cause_text(const AnswerDiff& d) {
  if (d.causes.empty()) return "nothing changed but the run (flaky test or host load)";
  return join(d.causes, "+") + ": " + join(d.cause_details, "; ");
}

std::string answer_text(const AnswerDiff& d) {
  std::string out = fmt::format(
      "{:<10} {}/{}  verdict {} -> {}  correctness {:.1f} -> {:.1f}  edge {:.1f} -> {:.1f}\n",
      label(d), d.model, d.task, d.verdict_before, d.verdict_after, d.correctness_before,
      d.correctness_after, d.edge_before, d.edge_after);
  out += "           cause: " + cause_text(d) + "\n";
  out += fmt::format(
      "           tests: {} paired, {} pass->fail, {} fail->pass, {} new failing; McNemar "
      "p={:.3g}; "
      "0.4c+0.2e change 95% CI [{:+.2f}, {:+.2f}]\n",
      d.paired, d.worse, d.better, d.new_failures, d.p_value, d.automated_delta.low,
      d.automated_delta.high);
  for (const auto& c : d.categories)
    out += fmt::format("           {} {:<24} {} -> {}\n", c.kind, c.category, c.before, c.after);
  return out;
}

json answer_json(const AnswerDiff& d) {
  json categories = json::array();
  for (const auto& c : d.categories)
    categories.push_back(
        {{"category", c.category}, {"kind", c.kind}, {"before", c.before}, {"after", c.after}});
  return {{"model", d.model},
          {"task", d.task},
          {"causes", d.causes},
          {"cause_details", d.cause_details},
          {"verdict", {{"before", d.verdict_before}, {"after", d.verdict_after}}},
          {"correctness", {{"before", d.correctness_before}, {"after", d.correctness_after}}},
          {"edge_cases", {{"before", d.edge_before}, {"after", d.edge_after}}},
          {"categories", categories},
          {"tests",
           {{"paired", d.paired},
            {"pass_to_fail", d.worse},
            {"fail_to_pass", d.better},
            {"new_failures", d.new_failures}}},
          {"mcnemar_p", d.p_value},
          {"automated_delta_ci95", {d.automated_delta.low, d.automated_delta.high}},
          {"drop", d.drop},
          {"flake", d.flake},
          {"regression", d.regression}};
}

// html_escape's output is valid XML 1.0 text: characters XML forbids, even
// escaped, are replaced before escaping.
std::string xml_escape(const std::string& text) { return html_escape(text); }

// Ids and stamps come from the history: on a terminal none of them may
// break a line or start an escape sequence.
RunDiff printable_diff(RunDiff diff) {
  diff.run_a = printable(diff.run_a), diff.run_b = printable(diff.run_b);
  for (auto* list : {&diff.changed, &diff.grader_errors}) {
    for (auto& d : *list) {
      d.model = printable(d.model), d.task = printable(d.task);
      for (auto& detail : d.cause_details) detail = printable(detail);
    }
  }
  for (auto* names : {&diff.only_in_a, &diff.only_in_b})
    for (auto& name : *names) name = printable(name);
  for (auto& m : diff.means) m.model = printable(m.model), m.task = printable(m.task);
  for (auto& name : diff.flaky) name = printable(name);
  return diff;
}

// A model × task of many samples: the two means and what the interval says.
std::string mean_text(const MeanDiff& m) {
  return fmt::format(
      "  {}/{}: mean automated {:.2f} (n={}) -> {:.2f} (n={}), 95% [{:+.2f}, {:+.2f}]: {}\n",
      m.model, m.task, m.mean_before, m.n_before, m.mean_after, m.n_after, m.delta.low,
      m.delta.high,
      m.regression ? "REGRESSION"
      : m.noise    ? "noise (the interval holds 0)"
                   : "better");
}

}  // namespace

std::string diff_text(const RunDiff& unsafe) {
  RunDiff diff = printable_diff(unsafe);
  std::string out =
      fmt::format("diff {} -> {}: {} answers compared, {} changed, {} regressions\n", diff.run_a,
                  diff.run_b, diff.compared, diff.changed.size(), diff.regressions);
  for (const auto& d : diff.changed) out += answer_text(d);
  if (!diff.means.empty()) {
    out += "many samples (means compared):\n";
    for (const auto& m : diff.means) out += mean_text(m);
  }
  if (!diff.flaky.empty())
    out += "flaky tests (listed apart, not regressions): " + join(diff.flaky, ", ") + "\n";
  if (!diff.grader_errors.empty()) {
    out += "grader-error (listed apart, not compared):\n";
    for (const auto& d : diff.grader_errors)
      out += fmt::format("  {}/{}: {} -> {}\n", d.model, d.task, d.verdict_before, d.verdict_after);
  }
  if (!diff.only_in_a.empty())
    out += "only in " + diff.run_a + ": " + join(diff.only_in_a, ", ") + "\n";
  if (!diff.only_in_b.empty())
    out += "only in " + diff.run_b + ": " + join(diff.only_in_b, ", ") + "\n";
  return out;
}

std::string diff_json(const RunDiff& diff) {
  json changed = json::array(), errors = json::array();
  for (const auto& d : diff.changed) changed.push_back(answer_json(d));
  for (const auto& d : diff.grader_errors) errors.push_back(answer_json(d));
  json means = json::array();
  for (const auto& m : diff.means)
    means.push_back({{"model", m.model},
                     {"task", m.task},
                     {"n_before", m.n_before},
                     {"n_after", m.n_after},
                     {"mean_before", m.mean_before},
                     {"mean_after", m.mean_after},
                     {"delta_ci95", {m.delta.low, m.delta.high}},
                     {"noise", m.noise},
                     {"regression", m.regression}});
  json j = {{"run_a", diff.run_a},
            {"run_b", diff.run_b},
            {"compared", diff.compared},
            {"regressions", diff.regressions},
            {"options", {{"threshold", diff.options.threshold}, {"alpha", diff.options.alpha}}},
            {"changed", changed},
            {"grader_errors", errors},
            {"means", means},
            {"flaky", diff.flaky},
            {"only_in_a", diff.only_in_a},
            {"only_in_b", diff.only_in_b}};
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";  // ids may be any bytes
}

std::string diff_junit(const RunDiff& diff) {
  std::string cases;
  for (const auto& d : diff.changed) {
    cases += fmt::format("  <testcase classname=\"{}\" name=\"{}\">", xml_escape(d.model),
                         xml_escape(d.task));
    if (d.regression)
      cases += fmt::format("<failure message=\"{}\">{}</failure>",
                           xml_escape(label(d) + ": " + cause_text(d)), xml_escape(answer_text(d)));
    else
      cases += "<system-out>" + xml_escape(answer_text(d)) + "</system-out>";
    cases += "</testcase>\n";
  }
  for (const auto& d : diff.grader_errors) {
    cases += fmt::format(
        "  <testcase classname=\"{}\" name=\"{}\"><skipped message=\"grader-error: {} -> "
        "{}\"/></testcase>\n",
        xml_escape(d.model), xml_escape(d.task), xml_escape(d.verdict_before),
        xml_escape(d.verdict_after));
  }
  for (const auto& m : diff.means) {
    MeanDiff shown = m;
    shown.model = printable(m.model), shown.task = printable(m.task);
    std::string text = xml_escape(mean_text(shown));
    cases +=
        fmt::format("  <testcase classname=\"{}\" name=\"{}\">{}</testcase>\n", xml_escape(m.model),
                    xml_escape(m.task),
                    m.regression ? "<failure message=\"mean regression\">" + text + "</failure>"
                                 : "<system-out>" + text + "</system-out>");
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"gradebox diff {} -> {}\" "
      "tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n{}</testsuite>\n",
      xml_escape(diff.run_a), xml_escape(diff.run_b),
      diff.changed.size() + diff.grader_errors.size() + diff.means.size(), diff.regressions,
      diff.grader_errors.size(), cases);
}

}  // namespace gradebox::pipeline
