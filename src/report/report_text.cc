// The text summary a person reads: verdict, the two scores, one line per
// category, and the first failure of each failing category.
#include <cstdio>
#include <map>
#include <sstream>

#include "gradebox/report.h"
#include "report/json_text.h"
#include "util/utf8.h"

namespace gradebox {
namespace {

struct CategoryLine {
  std::string kind;
  int passed = 0;
  int total = 0;
  bool not_applicable = true;
  const TestResult* first_failure = nullptr;
};

std::string one_line(std::string text, std::size_t max = 160) {
  for (auto& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > max) text = utf8_clean(text, max - 3) + "...";
  return text;
}

std::string score_text(const char* name, const Score& s) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%-12s %4.1f / 10  (%d/%d tests)\n", name, s.score, s.passed,
                s.total);
  return buf;
}

void write_categories(std::ostringstream& out, const Report& r) {
  std::vector<std::string> order;
  std::map<std::string, CategoryLine> lines;
  for (const auto& t : r.tests) {
    if (!lines.count(t.category)) order.push_back(t.category);
    auto& line = lines[t.category];
    line.kind = t.kind;
    if (t.status == TestStatus::kNotApplicable) continue;
    line.not_applicable = false;
    ++line.total;
    if (t.status == TestStatus::kPass) {
      ++line.passed;
    } else if (!line.first_failure) {
      line.first_failure = &t;
    }
  }
  for (const auto& id : order) {
    const auto& line = lines[id];
    char buf[128];
    if (line.not_applicable) {
      std::snprintf(buf, sizeof buf, "  %-4s %-26s  n/a\n", line.kind.c_str(), id.c_str());
    } else {
      std::snprintf(buf, sizeof buf, "  %-4s %-26s %s %d/%d\n", line.kind.c_str(), id.c_str(),
                    line.passed == line.total ? "ok  " : "FAIL", line.passed, line.total);
    }
    out << buf;
    if (const auto* f = line.first_failure) {
      out << "         " << f->id << ": " << to_string(f->status);
      if (!f->detail.empty()) out << " - " << one_line(f->detail);
      out << "\n";
    }
  }
}

std::string run_text(const TestRun& run) {
  char buf[64];
  if (run.cpu_ms) {
    std::snprintf(buf, sizeof buf, "%s %.0f ms", to_string(run.status), *run.cpu_ms);
  } else {
    std::snprintf(buf, sizeof buf, "%s (no time)", to_string(run.status));
  }
  return buf;
}

// Tests run more than once, each run's CPU time beside it: how close to its
// limit the verdict was, and that the majority decided it.
void write_reruns(std::ostringstream& out, const Report& r) {
  for (const auto& t : r.tests) {
    if (t.runs.size() < 2) continue;
    char head[96];
    std::snprintf(head, sizeof head, " ran %zu times (CPU limit %.0f ms):", t.runs.size(),
                  t.limit_ms);
    out << "rerun        " << t.id << head;
    for (std::size_t i = 0; i < t.runs.size(); ++i) out << (i ? ", " : " ") << run_text(t.runs[i]);
    out << " -> " << to_string(t.status) << "\n";
  }
}

}  // namespace

std::string to_text(const Report& r) {
  std::ostringstream out;
  out << r.task << (r.model.empty() ? "" : " / " + r.model) << ": " << to_string(r.verdict);
  if (!r.verdict_detail.empty()) out << " - " << one_line(r.verdict_detail, 400);
  out << "\n";
  out << "extraction   " << r.candidates.size() << " block(s); ";
  if (r.kept) {
    out << "graded block " << *r.kept;
  } else {
    out << "nothing graded";
  }
  if (!r.extraction_reason.empty()) out << " (" << one_line(r.extraction_reason, 200) << ")";
  if (r.extraction_sensitive)
    out << "\n             EXTRACTION-SENSITIVE: candidates get different results";
  if (r.from_reasoning)
    out << "\n             FROM REASONING: the code graded is in the model's reasoning";
  if (r.truncated)
    out << "\n             TRUNCATED: the answer was cut off (token limit or unclosed fence)";
  out << "\n";
  out << score_text("correctness", r.correctness) << score_text("edge cases", r.edge_cases);
  // The load event is the answer's data: any shape, any depth.
  auto errors = r.load->find("errors");  // end() unless an object holds it
  if (errors != r.load->end() && errors->is_array() && !errors->empty()) {
    out << "load         " << errors->size()
        << " module-level error(s), first: " << one_line(compact_text((*errors)[0], 400), 200)
        << "\n";
  }
  write_categories(out, r);
  write_reruns(out, r);
  return out.str();
}

}  // namespace gradebox
