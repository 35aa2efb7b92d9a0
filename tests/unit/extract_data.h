// What the extraction tests share: the recorded answers under
// tests/unit/data/extract/ and the race task's prompt snippet.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace gradebox::testing {

/// tests/unit/data/extract/<name>; a failed expectation names a missing file.
inline std::string read_data(const std::string& name) {
  std::ifstream in(std::string(TESTS_DIR) + "/unit/data/extract/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// The buggy code race_js's prompt shows: answers often quote it back.
inline const std::string kRacePrompt =
    "let data = null;\n"
    "fetch('/api/data').then(r => r.json()).then(d => data = d);\n"
    "console.log(data); // Always logs null — race condition!\n";

}  // namespace gradebox::testing
