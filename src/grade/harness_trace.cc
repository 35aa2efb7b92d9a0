#include "grade/harness_trace.h"

#include <cstdio>

#include "util/dev_trace.h"

namespace gradebox {
namespace {

constexpr std::size_t kShownLineBytes = 4096;

std::string shown_line(std::string_view line) {
  std::string out(line.substr(0, kShownLineBytes));
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = '?';
  }
  if (line.size() > kShownLineBytes)
    out += " ... (" + std::to_string(line.size()) + " bytes in all)";
  return out;
}

std::string fixed(double value, const char* unit) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f %s", value, unit);
  return text;
}

}  // namespace

std::vector<std::string> printable_channel_lines(const SandboxOutcome& outcome) {
  std::vector<std::string> lines;
  std::string_view data = outcome.channel_data;
  while (!data.empty()) {
    const auto end = data.find('\n');
    const auto line = data.substr(0, end);
    if (!line.empty()) lines.push_back(shown_line(line));
    if (end == std::string_view::npos) break;
    data.remove_prefix(end + 1);
  }
  if (outcome.channel_truncated) lines.push_back("(the channel was cut at its size limit)");
  return lines;
}

std::string outcome_summary(const SandboxOutcome& o) {
  std::string text = o.exited ? "exit " + std::to_string(o.exit_code)
                              : "killed by signal " + std::to_string(o.term_signal);
  text += ", cpu " + fixed(o.cpu_seconds, "s") + ", wall " + fixed(o.wall_seconds, "s") +
          ", peak " + fixed(o.peak_memory_bytes / 1048576.0, "MiB");
  if (o.limit != LimitHit::kNone) text += ", limit " + std::string(to_string(o.limit));
  if (!o.violation.empty()) text += ", blocked syscall " + o.violation;
  return text;
}

void trace_start(const SandboxSpec& spec, const std::string& box) {
  if (!dev_trace_on()) return;
  std::string argv;
  for (const auto& arg : spec.argv) argv += (argv.empty() ? "" : " ") + arg;
  dev_trace("harness", "run " + argv + " on box " + box);
}

void trace_outcome(const SandboxOutcome& outcome) {
  if (!dev_trace_on()) return;
  for (const auto& line : printable_channel_lines(outcome)) dev_trace("channel", line);
  dev_trace("harness", outcome_summary(outcome));
}

}  // namespace gradebox
