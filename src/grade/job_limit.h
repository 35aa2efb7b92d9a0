// How many answers one process grades at once, at most: 4 per core. Past
// that, answers only queue for the CPU while every budget counted in wall
// time (a trusted probe's, the sandbox's backstop) runs out for honest
// answers: -j 512 on 2 cores turned sample answers into grader-errors.
// The CLI's -j and the Python module's grade_many(jobs=) are capped here.
#pragma once

#include <string>

namespace gradebox {

constexpr int kJobsPerCore = 4;

/// kJobsPerCore x the cores this process may use (at least kJobsPerCore).
int max_jobs();

/// `requested` capped at max_jobs(); when it was, `notice` says so in one
/// line (`option` names the setting, e.g. "-j"), else it is left empty.
int capped_jobs(int requested, const std::string& option, std::string& notice);

}  // namespace gradebox
