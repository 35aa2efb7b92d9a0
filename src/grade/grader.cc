// Grading one answer, as an ordered checklist: extract, choose what to
// grade, grade each candidate in the sandbox, try the join retry, keep one
// per --pick, and write the report.
#include <chrono>

#include "gradebox/frontend.h"
#include "gradebox/grade.h"
#include "grade/answer_layout.h"
#include "grade/box.h"
#include "grade/candidate_grade.h"
#include "grade/environment.h"
#include "grade/join_blocks.h"
#include "trusted/script_server.h"
#include "grade/time_limits.h"

namespace gradebox {
namespace {

constexpr std::size_t kMaxCandidates = 4;  // bounds the cost of many-option answers

// A primary from the answer proper beats one from the reasoning.
bool better(const Extraction& candidate, const Extraction& current) {
  return candidate.primary &&
         (!current.primary || (current.from_reasoning && !candidate.from_reasoning));
}

// Extraction in the task's language, then in any language the task also
// accepts (e.g. JavaScript blocks for a TypeScript task).
Extraction extract_for(const Task& task, const std::string& answer, const std::string& reasoning,
                       std::string& language) {
  language = task.language;
  Extraction ex = extract(answer, task.language, task.entry, task.prompt_blocks, reasoning);
  for (const auto& other : task.also_languages) {
    if (ex.primary && !ex.from_reasoning) break;
    Extraction alt = extract(answer, other, task.entry, task.prompt_blocks, reasoning);
    if (better(alt, ex)) {
      ex = std::move(alt);
      language = other;
    }
  }
  if (!ex.primary || ex.from_reasoning) {
    // Only the prompt's own code came back: grade it as it is (it fails what
    // the prompt asked to fix) rather than calling it no code at all.
    Extraction as_is = extract(answer, task.language, task.entry, {}, reasoning);
    if (better(as_is, ex)) {
      as_is.reason = "only the prompt's own code was given; graded as it is (" + as_is.reason + ")";
      ex = std::move(as_is);
    }
  }
  return ex;
}

// The primary first, then the other blocks that hold the entry point, from
// the primary's side only: reasoning drafts are alternatives only when the
// answer proper has no candidate.
std::vector<int> candidates_to_grade(const Extraction& ex, const std::string& language) {
  std::vector<int> order{*ex.primary};
  const bool reasoning = ex.candidates.at(*ex.primary).reasoning;
  for (const auto& c : ex.candidates) {
    if (order.size() >= kMaxCandidates) break;
    if (c.index != *ex.primary && c.has_entry && !c.quotation && c.language == language &&
        c.reasoning == reasoning)
      order.push_back(c.index);
  }
  return order;
}

// The contract's join retry: the primary failed on names other blocks define.
void try_join(const GradeContext& ctx, const Extraction& ex, int primary, CandidateGrade& grade,
              std::vector<int>& joined) {
  if (grade.missing_names.empty()) return;
  std::vector<int> blocks = blocks_to_join(ex, primary, grade.missing_names);
  if (blocks.size() < 2) return;
  CandidateGrade retry = grade_files(ctx, layout_joined(ctx.task, ex, blocks));
  if (retry.weighted() > grade.weighted()) {
    grade = std::move(retry);
    joined = blocks;
  }
}

void fill_from(Report& report, CandidateGrade& grade) {
  report.verdict = grade.verdict;
  report.verdict_detail = grade.verdict_detail;
  report.tests = std::move(grade.tests);
  report.load = std::move(grade.load);
  report.extra = std::move(grade.extra);
  (*report.extra)["run"] = std::move(grade.run);
}

// Grades the primary and the alternatives, tries the join retry, keeps one.
void grade_candidates(const GradeContext& ctx, const Extraction& ex, const GradeOptions& options,
                      Report& report) {
  std::vector<CandidateGrade> grades;
  std::vector<int> order = candidates_to_grade(ex, report.language);
  for (int index : order) grades.push_back(grade_files(ctx, layout_candidate(ctx.task, ex, index)));
  try_join(ctx, ex, order[0], grades[0], report.joined);
  std::size_t kept = 0;
  for (std::size_t i = 1; options.pick_best && i < grades.size(); ++i) {
    if (grades[i].weighted() > grades[kept].weighted()) kept = i;
  }
  for (const auto& g : grades) {
    if (g.verdict != grades[0].verdict || g.weighted() != grades[0].weighted())
      report.extraction_sensitive = true;
  }
  report.graded = order;
  report.kept = order[kept];
  fill_from(report, grades[kept]);
}

// The task's checker starts while the answer runs, not after it. (A probe
// starts in the sandbox's network once it exists: script_server.h.)
void prestart_trusted_scripts(const Task& task) {
  if (task.checker != "values") prestart_script(task.dir / task.checker);
}

// A bug of gradebox's own: reported as such, never as the answer's fault.
Report internal_error(const Task& task, const GradeOptions& options, const std::string& what) {
  return grader_error_report(task.id, options.model, "internal error: " + what);
}

}  // namespace

Grader::Grader(std::shared_ptr<Sandbox> sandbox) : sandbox_(std::move(sandbox)) {}

Report Grader::grade(const Task& task, const std::string& answer,
                     const GradeOptions& options) const {
  try {
    return grade_or_throw(task, answer, options);
  } catch (const std::exception& e) {
    return internal_error(task, options, e.what());
  } catch (...) {  // not even a std::exception: still never an abort
    return internal_error(task, options, "an exception of unknown type");
  }
}

Report Grader::grade_or_throw(const Task& task, const std::string& answer,
                              const GradeOptions& options) const {
  const auto started = std::chrono::steady_clock::now();
  Report report;
  report.task = task.id;
  report.model = options.model;
  report.pick = options.pick_best ? "best" : "first";
  Extraction ex = extract_for(task, answer, options.reasoning, report.language);
  report.candidates = ex.candidates;
  report.from_reasoning = ex.from_reasoning;
  report.truncated = ex.truncated || finish_reason_cut_off(options.finish_reason);
  report.extraction_reason = ex.reason;
  auto profile = load_runtime_profile(task.runtime, task.dir.parent_path());
  report.environment = environment_json(task, profile ? &*profile : nullptr);
  const bool judge_prose = task.check_without_code;
  if (!ex.primary && !judge_prose) {
    report.verdict = Verdict::kNoCode;
    report.verdict_detail = ex.reason;
  } else if (!profile) {
    report.verdict = Verdict::kGraderError;
    report.verdict_detail = profile.error().message;
  } else {
    prestart_trusted_scripts(task);
    TimeLimits limits = time_limits(task, *sandbox_, *profile);
    (*report.environment)["time_limits"] = limits.calibration;
    GradeContext ctx{task,
                     *sandbox_,
                     *profile,
                     limits.per_test_ms,
                     answer,
                     options.retry_timeouts,
                     options.keep_box};
    if (!ex.primary) {
      CandidateGrade prose = grade_prose_only(ctx);
      fill_from(report, prose);
      report.extraction_reason = ex.reason + "; prose judged";
    } else {
      grade_candidates(ctx, ex, options, report);
    }
  }
  compute_scores(report);
  report.grade_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace gradebox
