#include "util/dev_trace.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace gradebox {
namespace {

std::atomic<bool> trace_on{false};
std::mutex trace_mutex;

}  // namespace

void enable_dev_trace() { trace_on = true; }

bool dev_trace_on() { return trace_on; }

void dev_trace(std::string_view topic, std::string_view line) {
  if (!trace_on) return;
  std::string text = "gradebox: ";
  text.append(topic).append(": ").append(line);
  if (text.empty() || text.back() != '\n') text += '\n';
  std::lock_guard<std::mutex> lock(trace_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace gradebox
