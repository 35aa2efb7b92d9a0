#include "parallel_grading.h"

#include <algorithm>

#include "gradebox/frontend.h"

namespace gradebox::python {

ParallelGrading::ParallelGrading(std::shared_ptr<const Grader> grader,
                                 std::vector<GradeRequest> requests, int jobs)
    : grader_(std::move(grader)),
      requests_(std::move(requests)),
      reports_(requests_.size()),
      pool_(worker_count(jobs, requests_.size()), [this] { work(); }) {}

ParallelGrading::~ParallelGrading() {
  stop();
  pool_.join();
}

void ParallelGrading::work() {
  for (std::size_t i; !stopped_ && (i = next_++) < requests_.size();) {
    const GradeRequest& request = requests_[i];
    // Each slot is written by exactly one worker and read after join().
    // Nothing may escape a worker thread: that would abort the interpreter.
    try {
      reports_[i] = grader_->grade(*request.task, request.text, request.options);
    } catch (const std::exception& e) {
      reports_[i] = grader_error_report(request.task->id, request.options.model,
                                        std::string("internal error: ") + e.what());
    } catch (...) {  // not even a std::exception: still never an abort
      reports_[i] = grader_error_report(request.task->id, request.options.model,
                                        "internal error: an exception of unknown type");
    }
  }
}

bool ParallelGrading::wait_for(std::chrono::milliseconds timeout) {
  return pool_.wait_for(timeout);
}

void ParallelGrading::stop() { stopped_ = true; }

std::vector<std::optional<Report>> ParallelGrading::finish() {
  pool_.join();
  return std::move(reports_);
}

}  // namespace gradebox::python
