// Where a block's file name comes from: its info string ("js app.js",
// "python title=\"x.py\"", "javascript:routes/users.js"), a line just before
// the block ("**app.js**", "### routes/users.js", "`app.js`:",
// "File: app.js"), or the block's first comment ("// app.js").
// Private to src/extract/.
#pragma once

#include <string>
#include <string_view>

namespace gradebox::extract_detail {

/// A fence info string split into its language word and file name.
struct InfoString {
  std::string language_word;  // "js" of "js app.js"; "" when the info names only a file
  std::string filename;       // "" when none
};

InfoString parse_info_string(std::string_view info);

/// True for "app.js", "routes/users.js", "./src/x.ts", "go.mod", not for
/// "e.g.", "v1.2", "Node.js" or anything with spaces.
bool is_filename_token(std::string_view token);

/// The file name a prose line announces ("**app.js**", "`app.js`:",
/// "File: routes/users.js", "Create `app.js`:"); "" when it announces none.
std::string filename_from_line(std::string_view line);

/// The file name in a block's first non-blank line when that line is only a
/// comment naming it ("// app.js", "# flatten.py", "/* File: x.ts */").
std::string filename_from_first_comment(std::string_view code);

}  // namespace gradebox::extract_detail
