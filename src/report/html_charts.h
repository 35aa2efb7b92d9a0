// Inline SVG charts for the HTML report: drawn here, so the file needs no
// script library and no network to show them.
#pragma once

#include <string>

#include "pipeline/leaderboard.h"

namespace gradebox::pipeline {

/// Escapes text for HTML element content and attribute values; what XML 1.0
/// does not allow (controls, U+FFFE, invalid UTF-8) becomes U+FFFD first, so
/// the output is also valid XML text (JUnit uses it).
std::string html_escape(const std::string& text);

/// The anchor of one answer's report ("report-<model>--<task>").
std::string report_anchor(const std::string& model, const std::string& task);

/// Score against price (log scale), each model a labelled point, the value
/// frontier as a line.
std::string score_price_svg(const Leaderboard& board);

/// Models x tasks, each cell coloured by its score and linked to its report.
std::string heat_map_svg(const Leaderboard& board);

}  // namespace gradebox::pipeline
