#include "pipeline/progress.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace gradebox::pipeline {

Progress::Progress(std::FILE* out, bool bar, int total) : out_(out), bar_(bar), total_(total) {}

void Progress::start(int total) {
  std::lock_guard lock(mutex_);
  total_ = total;
  done_ = 0;
  started_ = std::chrono::steady_clock::now();
}

void Progress::done(const Report& report, bool from_cache) {
  std::lock_guard lock(mutex_);
  ++done_;
  std::string what = report.model + "/" + report.task;
  if (bar_) return draw_bar(what);
  std::fprintf(out_, "[%d/%d] %-36s %-13s %4.1f %4.1f %s\n", done_, total_, what.c_str(),
               to_string(report.verdict), report.correctness.score, report.edge_cases.score,
               from_cache ? "(cached)" : "");
  std::fflush(out_);
}

void Progress::draw_bar(const std::string& last) {
  constexpr int kWidth = 30;
  int filled = total_ ? kWidth * done_ / total_ : kWidth;
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::string bar(filled, '#');
  bar.resize(kWidth, '.');
  std::fprintf(out_, "\r\033[K[%s] %d/%d %5.1fs %s", bar.c_str(), done_, total_, elapsed,
               last.c_str());
  std::fflush(out_);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (bar_ && done_) std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
}

bool stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) && !(term && std::strcmp(term, "dumb") == 0);
}

}  // namespace gradebox::pipeline
