#include "report/html_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/leaderboard_format.h"
#include "util/utf8.h"

namespace gradebox::pipeline {
namespace {

constexpr double kWidth = 720, kHeight = 420, kLeft = 60, kRight = 150, kTop = 20, kBottom = 50;

// Red (0) through yellow to green (max), as an HSL hue.
std::string score_colour(double score, double max) {
  double t = std::clamp(score / max, 0.0, 1.0);
  return fmt::format("hsl({:.0f},70%,{:.0f}%)", 120 * t, 45 + 10 * (1 - t));
}

struct Axes {
  double min_price, max_price, max_score;
  double x(double price) const {
    double lo = std::log(min_price), hi = std::log(max_price);
    double t = hi > lo ? (std::log(price) - lo) / (hi - lo) : 0.5;
    return kLeft + t * (kWidth - kLeft - kRight);
  }
  double y(double score) const {
    return kTop + (1 - score / max_score) * (kHeight - kTop - kBottom);
  }
};

std::string axes_svg(const Axes& a, const std::string& y_label) {
  std::string out = fmt::format(
      "<line x1='{0}' y1='{1}' x2='{2}' y2='{1}' stroke='#333'/><line x1='{0}' y1='{3}' x2='{0}' "
      "y2='{1}' stroke='#333'/>",
      kLeft, kHeight - kBottom, kWidth - kRight, kTop);
  for (double s = 0; s <= a.max_score + 1e-9; s += a.max_score / 5)
    out += fmt::format("<text x='{}' y='{:.1f}' class='tick' text-anchor='end'>{:.1f}</text>",
                       kLeft - 6, a.y(s) + 4, s);
  for (double p : {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0}) {
    if (p < a.min_price * 0.999 || p > a.max_price * 1.001) continue;
    out += fmt::format("<text x='{:.1f}' y='{}' class='tick' text-anchor='middle'>${}</text>",
                       a.x(p), kHeight - kBottom + 16, p);
  }
  out += fmt::format(
      "<text x='{}' y='{}' text-anchor='middle'>price, USD per million output tokens (log)</text>",
      (kLeft + kWidth - kRight) / 2, kHeight - 10);
  out += fmt::format(
      "<text x='14' y='{}' transform='rotate(-90 14 {})' text-anchor='middle'>{}</text>",
      kHeight / 2, kHeight / 2, y_label);
  return out;
}

// A row's 95 % interval as a vertical whisker with caps; drawn before its
// point, so the point stays on top. Only on the automated axis (hand scores
// have no interval), only for n > 1 (ci95 is set then).
std::string whisker_svg(const Axes& a, const LeaderboardRow& r, bool hand_scored) {
  if (!r.ci95 || hand_scored || !r.info) return "";
  double x = a.x(r.info->price), lo = a.y(r.ci95->low), hi = a.y(r.ci95->high);
  return fmt::format(
      "<path class='ci' d='M{0:.1f} {1:.1f}H{2:.1f}M{3:.1f} {1:.1f}V{4:.1f}M{0:.1f} {4:.1f}"
      "H{2:.1f}' stroke='#4a78c2' stroke-width='1.5' fill='none'><title>{5}: 95% interval "
      "{6:.2f}–{7:.2f}</title></path>",
      x - 4, hi, x + 4, x, lo, html_escape(r.model), r.ci95->low, r.ci95->high);
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : xml_text(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string report_anchor(const std::string& model, const std::string& task) {
  return "report-" + model + "--" + task;
}

std::string score_price_svg(const Leaderboard& board) {
  Axes a{1e9, 0, board.hand_scored ? 10.0 : 6.0};
  for (const auto& r : board.rows) {
    if (!r.info || !headline(board, r)) continue;
    a.min_price = std::min(a.min_price, r.info->price),
    a.max_price = std::max(a.max_price, r.info->price);
  }
  if (a.max_price == 0) return "<p>No priced model with a score: no chart.</p>";
  a.min_price *= 0.8, a.max_price *= 1.25;
  std::string out = fmt::format(
      "<svg class='chart' id='score-price' viewBox='0 0 {} {}' width='{}' height='{}' "
      "role='img' aria-label='score against price'>",
      kWidth, kHeight, kWidth, kHeight);
  out += axes_svg(a, board.hand_scored ? "overall (of 10)" : "automated part (of 6)");
  std::vector<std::pair<double, double>> frontier;
  auto on_frontier = value_frontier(board);
  for (const auto& r : board.rows) {
    auto s = headline(board, r);
    if (!r.info || !s) continue;
    bool front = std::count(on_frontier.begin(), on_frontier.end(), r.model);
    if (front) frontier.push_back({r.info->price, *s});
    out += whisker_svg(a, r, board.hand_scored);
    out += fmt::format(
        "<circle class='point{}' cx='{:.1f}' cy='{:.1f}' r='6'><title>{}: {:.2f} at "
        "${:.2f}</title></circle>",
        front ? " front" : "", a.x(r.info->price), a.y(*s), html_escape(r.model), *s,
        r.info->price);
    out += fmt::format("<text class='label' x='{:.1f}' y='{:.1f}'>{}</text>",
                       a.x(r.info->price) + 9, a.y(*s) + 4, html_escape(r.model));
  }
  std::sort(frontier.begin(), frontier.end());
  std::string points;
  for (const auto& [p, s] : frontier) points += fmt::format("{:.1f},{:.1f} ", a.x(p), a.y(s));
  out += "<polyline class='frontier' points='" + points + "'/>";
  return out + "</svg>";
}

std::string heat_map_svg(const Leaderboard& board) {
  constexpr double kCellW = 110, kCellH = 26, kLabelW = 170, kHeaderH = 30;
  double width = kLabelW + kCellW * board.tasks.size(),
         height = kHeaderH + kCellH * board.rows.size();
  std::string out = fmt::format(
      "<svg class='chart' id='heat-map' viewBox='0 0 {0} {1}' width='{0}' height='{1}' "
      "role='img' aria-label='model by task scores'>",
      width, height);
  double max = board.hand_scored ? 10.0 : 6.0;
  for (std::size_t t = 0; t < board.tasks.size(); ++t)
    out += fmt::format("<text x='{:.1f}' y='20' text-anchor='middle'>{}</text>",
                       kLabelW + kCellW * (t + 0.5), html_escape(board.tasks[t]));
  for (std::size_t m = 0; m < board.rows.size(); ++m) {
    const auto& row = board.rows[m];
    double y = kHeaderH + kCellH * m;
    out += fmt::format("<text x='{}' y='{:.1f}' text-anchor='end'>{}</text>", kLabelW - 8, y + 17,
                       html_escape(row.model));
    for (std::size_t t = 0; t < board.tasks.size(); ++t) {
      const TaskCell& cell = row.tasks.at(board.tasks[t]);
      auto s = headline(board, cell);
      std::string fill = s ? score_colour(*s, max) : "#ccc";
      std::string text = s                                             ? fmt::format("{:.1f}", *s)
                         : cell.state == TaskCell::State::kGraderError ? "ERR"
                         : cell.state == TaskCell::State::kTooLarge    ? "too-large"
                                                                       : "—";
      if (cell.n > 1) text += fmt::format(" ×{}", cell.n);
      bool linked =
          cell.state == TaskCell::State::kScored || cell.state == TaskCell::State::kGraderError;
      double x = kLabelW + kCellW * t;
      std::string rect = fmt::format(
          "<rect class='cell' x='{:.1f}' y='{:.1f}' width='{}' height='{}' fill='{}'/>"
          "<text x='{:.1f}' y='{:.1f}' text-anchor='middle'>{}</text>",
          x + 1, y + 1, kCellW - 2, kCellH - 2, fill, x + kCellW / 2, y + 17, text);
      out += linked ? "<a href='#" + html_escape(report_anchor(row.model, board.tasks[t])) + "'>" +
                          rect + "</a>"
                    : rect;
    }
  }
  return out + "</svg>";
}

}  // namespace gradebox::pipeline
