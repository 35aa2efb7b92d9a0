// Checking output meant for XML consumers (JUnit, the HTML report): a real
// parser (Python's expat through minidom) for well-formedness, and a scan
// for characters XML 1.0 does not allow, for HTML that is not XML.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace gradebox::testing {

/// Parses `text` with xml.dom.minidom; "" when well-formed, else the error.
inline std::string xml_parse_error(const std::string& text, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::filesystem::path file = dir / "checked.xml", log = dir / "checked.err";
  std::ofstream(file, std::ios::binary) << text;
  std::string command =
      "/usr/bin/python3 -c 'import xml.dom.minidom,sys; "
      "xml.dom.minidom.parse(sys.argv[1])' " +
      file.string() + " 2>" + log.string();
  int status = std::system(command.c_str());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  std::ifstream in(log);
  std::string error(std::istreambuf_iterator<char>(in), {});
  return error.empty() ? "python3 failed" : error;
}

/// The offset of the first character XML 1.0 does not allow (invalid UTF-8,
/// a surrogate, a C0 control but tab/LF/CR, U+FFFE, U+FFFF), or npos.
inline std::size_t xml_forbidden_at(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto b = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
    unsigned lead = b(i), length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (lead >= 0x80 && (lead < 0xC2 || lead > 0xF4)) return i;
    unsigned cp = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (unsigned k = 1; k < length; ++k) {
      if ((b(i + k) & 0xC0) != 0x80) return i;
      cp = cp << 6 | (b(i + k) & 0x3F);
    }
    bool overlong = (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
        cp == 0xFFFF || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r'))
      return i;
    i += length;
  }
  return std::string_view::npos;
}

/// Ids holding every kind of character XML 1.0 forbids.
inline const std::string kXmlHostile = std::string("ctl\x01\x1b[31m-") +
                                       "nonchar\xEF\xBF\xBE\xEF\xBF\xBF-" + "bad\xFF\xC0-" +
                                       "surrogate\xED\xA0\x80-end";

}  // namespace gradebox::testing
