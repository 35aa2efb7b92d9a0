// The self-contained HTML report: leaderboard table, the two charts, and
// every answer's report one click away (a :target section, no script
// needed). Everything from answers is escaped: reports quote hostile text.
#include <fmt/format.h>

#include "report/html_charts.h"
#include "report/leaderboard_format.h"

namespace gradebox::pipeline {
namespace {

constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:nth-child(2),th:nth-child(2){text-align:left}.note{background:#fff6d6;padding:8px 12px;border-left:4px solid #e0b000}
.chart text{font-size:12px}.tick{fill:#555}.point{fill:#4a78c2}.point.front{fill:#d9472b}
.frontier{fill:none;stroke:#d9472b;stroke-width:2;stroke-dasharray:6 4}.cell{stroke:#fff}
.report{display:none;border:1px solid #aaa;padding:8px 14px;margin:12px 0}.report:target{display:block}
pre{white-space:pre-wrap;background:#f6f6f6;padding:8px;font-size:12px}
)css";

// After layout, records the charts' drawn sizes, so a headless browser test
// can tell rendered charts from markup that did not lay out.
constexpr const char* kRenderProbe = R"js(
addEventListener('load',()=>{const s=[...document.querySelectorAll('svg.chart')].map(e=>{
const b=e.getBBox();return e.id+':'+Math.round(b.width)+'x'+Math.round(b.height)+':'+e.querySelectorAll('circle,rect').length});
document.body.dataset.rendered=s.join(' ');});
)js";

// Many samples: the interval, n and pass@k after the automated score, as
// in the text table; with one sample each the table is what it always was.
std::string samples_header(const Leaderboard& board) {
  if (!board.many_samples) return "";
  std::string out = "<th>95% CI</th><th>n</th>";
  for (int k : pass_at_ks(board)) out += fmt::format("<th>pass@{}</th>", k);
  return out;
}

std::string samples_cells(const Leaderboard& board, const LeaderboardRow& row) {
  if (!board.many_samples) return "";
  std::string out =
      "<td>" + interval_text(row.ci95) + "</td><td>" + std::to_string(row.n) + "</td>";
  for (int k : pass_at_ks(board))
    out +=
        "<td>" + (row.pass_at.count(k) ? fmt::format("{:.3f}", row.pass_at.at(k)) : "-") + "</td>";
  return out;
}

std::string table_html(const Leaderboard& board) {
  std::string out =
      "<table id='leaderboard'><tr><th>#</th><th>model</th><th>price</th><th>correct</th>"
      "<th>edge</th><th>auto/6</th>" +
      samples_header(board);
  if (board.hand_scored) out += "<th>quality</th><th>docs</th><th>overall</th>";
  out += board.hand_scored ? "<th>value</th>" : "<th>auto value</th>";
  for (const auto& t : board.tasks) out += "<th>" + html_escape(t) + "</th>";
  out += "</tr>\n";
  auto num = [](std::optional<double> v) {
    return v ? fmt::format("{:.2f}", *v) : std::string("n/a");
  };
  int rank = 0;
  for (const auto& r : board.rows) {
    out += fmt::format(
        "<tr><td>{}</td><td title='{}'>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
        ++rank, html_escape(r.info ? r.info->name : r.model), html_escape(r.model),
        std::string(r.tied_with_leader ? " ~" : "") + (r.complete ? "" : " *"),
        r.info ? fmt::format("${:.2f}", r.info->price) : "n/a",
        r.counted ? num(r.correctness) : "n/a", r.counted ? num(r.edge) : "n/a",
        r.counted ? num(r.automated) : "n/a");
    out += samples_cells(board, r);
    if (board.hand_scored)
      out += "<td>" + num(r.quality) + "</td><td>" + num(r.documentation) + "</td><td>" +
             num(r.overall) + "</td>";
    out += "<td>" + num(r.value) + "</td>";
    for (const auto& t : board.tasks) {
      const TaskCell& c = r.tasks.at(t);
      auto s = headline(board, c);
      std::string text = s                                          ? fmt::format("{:.1f}", *s)
                         : c.state == TaskCell::State::kGraderError ? "ERR"
                         : c.state == TaskCell::State::kTooLarge    ? "too-large"
                         : c.state == TaskCell::State::kPending     ? "pending"
                                                                    : "missing";
      if (c.n > 1) text += fmt::format(" ×{}", c.n);
      bool linked = c.state == TaskCell::State::kScored || c.state == TaskCell::State::kGraderError;
      out += linked ? "<td><a href='#" + html_escape(report_anchor(r.model, t)) + "'>" + text +
                          "</a></td>"
                    : "<td>" + text + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

// Every sample's report. The first of a model × task has the anchor the
// table and heat map link to; later samples add "--<N>" (ids stay unique).
std::string reports_html(const RunView& run) {
  std::string out;
  const AnswerKey* previous = nullptr;
  for (const auto& [key, result] : run.results) {
    const Report& r = result.report;
    bool first = !previous || previous->model != key.model || previous->task != key.task;
    previous = &key;
    std::string anchor =
        report_anchor(key.model, key.task) + (first ? "" : "--" + std::to_string(key.sample));
    out += fmt::format(
        "<section class='report' id='{}'><h3>{} / {}{} — {} (correctness {:.1f}, edge "
        "{:.1f}){}</h3><pre>{}</pre><details><summary>JSON report</summary><pre>{}</pre>"
        "</details></section>\n",
        html_escape(anchor), html_escape(key.model), html_escape(key.task),
        key.sample ? " #" + std::to_string(key.sample) : "", to_string(r.verdict),
        r.correctness.score, r.edge_cases.score, result.from_cache ? " (from cache)" : "",
        html_escape(to_text(r)),
        html_escape(to_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  return out;
}

std::string notes_html(const Leaderboard& board) {
  std::string items;
  for (const auto& row : board.rows)
    for (const auto& n : row.notes) items += "<li>" + html_escape(row.model + " — " + n) + "</li>";
  for (const auto* e : board.grader_errors)
    items += "<li>grader-error " +
             html_escape(e->report.model + "/" + e->report.task + ": " +
                         e->report.verdict_detail.substr(0, 300)) +
             "</li>";
  for (const auto& p : board.problems)
    if (p.model.empty()) items += "<li>" + html_escape(p.location + ": " + p.message) + "</li>";
  return items.empty() ? "" : "<h2>Notes</h2><ul>" + items + "</ul>";
}

}  // namespace

std::string leaderboard_html(const Leaderboard& board, const RunView& run) {
  std::string out =
      "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>gradebox: run " +
      html_escape(board.run_id) + "</title><style>" + kStyle + "</style><script>" + kRenderProbe +
      "</script></head><body>\n";
  out += "<h1>gradebox leaderboard: run " + html_escape(board.run_id) + "</h1>\n";
  out += "<p class='note'>" + html_escape(scoring_note(board)) +
         " * = incomplete (see the notes). "
         "Click a score to open that answer's report.</p>\n";
  if (board.many_samples) out += "<p class='note'>" + html_escape(samples_note(board)) + "</p>\n";
  out += table_html(board);
  out +=
      "<h2>Score against price</h2><p>Red points and the dashed line: the value frontier (no other "
      "model is both cheaper and better)." +
      std::string(board.many_samples && !board.hand_scored
                      ? " Whiskers: each model's 95% interval of the automated score."
                      : "") +
      "</p>\n" + score_price_svg(board) + "\n";
  out += "<h2>Models × tasks</h2>\n" + heat_map_svg(board) + "\n";
  out += notes_html(board);
  out += "<h2>Reports</h2><p>Open one from the table or the heat map.</p>\n" + reports_html(run);
  return out + "</body></html>\n";
}

}  // namespace gradebox::pipeline
