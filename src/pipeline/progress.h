// Progress of a batch: a bar redrawn in place on a terminal, one plain line
// per answer otherwise (CI logs, pipes).
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "gradebox/report.h"

namespace gradebox::pipeline {

class Progress {
 public:
  /// `out` is where it draws (stderr); `bar` chooses the terminal form.
  Progress(std::FILE* out, bool bar, int total);
  /// How many answers this batch will report (known once the run is planned).
  void start(int total);
  /// One answer done: graded, or taken from the cache.
  void done(const Report& report, bool from_cache);
  /// Clears the bar (call once, before printing anything else).
  void finish();

 private:
  void draw_bar(const std::string& last);
  std::FILE* out_;
  bool bar_;
  int total_;
  int done_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::mutex mutex_;
};

/// True when stderr is a terminal (and TERM is not "dumb").
bool stderr_is_terminal();

}  // namespace gradebox::pipeline
