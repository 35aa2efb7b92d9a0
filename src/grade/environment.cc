#include "grade/environment.h"

#include <sys/utsname.h>

#include "tasks/grader_stamp.h"

namespace gradebox {

nlohmann::json environment_json(const Task& task, const RuntimeProfile* profile) {
  struct utsname uts {};
  ::uname(&uts);
  nlohmann::json env = {{"gradebox_version", GRADEBOX_VERSION},
                        {"grading_engine", engine_version()},
                        {"grader_version", task.version},
                        {"grader_stamp", task.stamp},
                        {"kernel", std::string(uts.sysname) + " " + uts.release},
                        {"runtime", task.runtime}};
  if (profile) env["toolchain"] = runtime_version(*profile);
  nlohmann::json limits = {{"test_cpu_floor_ms", task.limits.test_cpu_floor_ms},
                           {"reference_multiple", task.limits.reference_multiple},
                           {"memory_mb", task.limits.memory_mb},
                           {"max_processes", task.limits.max_processes}};
  env["limits"] = limits;
  return env;
}

}  // namespace gradebox
