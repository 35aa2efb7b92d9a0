#include "grade/job_limit.h"

#include <sched.h>

#include <algorithm>
#include <thread>

namespace gradebox {

int max_jobs() {
  // The CPUs this process may run on (a container's cpuset), else all.
  cpu_set_t allowed;
  int cores = sched_getaffinity(0, sizeof allowed, &allowed) == 0
                  ? CPU_COUNT(&allowed)
                  : static_cast<int>(std::thread::hardware_concurrency());
  return kJobsPerCore * std::max(cores, 1);
}

int capped_jobs(int requested, const std::string& option, std::string& notice) {
  notice.clear();
  const int most = max_jobs();
  if (requested <= most) return requested;
  notice = option + " " + std::to_string(requested) + " is more than " +
           std::to_string(kJobsPerCore) + " per core: grading " + std::to_string(most) +
           " answers at once";
  return most;
}

}  // namespace gradebox
