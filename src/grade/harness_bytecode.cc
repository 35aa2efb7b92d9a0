#include "grade/harness_bytecode.h"

#include <map>
#include <mutex>

#include "grade/host_cache.h"
#include "trusted/trusted_process.h"
#include "util/text_hash.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

// Writes each SOURCE's bytecode to its CFILE, recorded as /box/NAME (where
// the harness runs it), and prints the interpreter's cache tag.
constexpr const char* kCompileScript = R"(import py_compile, sys
args = sys.argv[1:]
for source, cfile, name in zip(args[0::3], args[1::3], args[2::3]):
    py_compile.compile(source, cfile=cfile, dfile="/box/" + name, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
print(sys.implementation.cache_tag)
)";

bool is_python(const Task& task) {
  return !task.harness_argv.empty() &&
         fs::path(task.harness_argv[0]).filename().string().rfind("python", 0) == 0;
}

// The interpreter as its binary is now: an upgraded Python gets its own
// folder (a new cache tag and bytecode format), not the old one's files.
std::string interpreter_identity(const std::string& python) {
  std::error_code ec;
  fs::path binary = fs::canonical(python, ec);
  if (ec) return python;
  auto modified = fs::last_write_time(binary, ec).time_since_epoch().count();
  return binary.string() + ":" + std::to_string(modified) + ":" +
         std::to_string(fs::file_size(binary, ec));
}

std::vector<BoxExtraFile> compile(const Task& task) {
  const std::string& python = task.harness_argv[0];
  fs::path dir = host_cache_dir("pyc") / hash_text(interpreter_identity(python));
  fs::path tag_file = dir / "cache_tag";
  std::string tag = read_cached(tag_file);
  std::vector<std::string> argv{python, "-I", "-S", "-c", kCompileScript};
  std::vector<std::pair<fs::path, std::string>> modules;  // cached pyc, module stem
  for (const auto& file : task.harness_files) {
    fs::path source = task.dir / file;
    if (source.extension() != ".py") continue;
    std::string text = read_cached(source);
    std::string name = source.filename().string();
    fs::path pyc = dir / (hash_text(text) + "-" + source.stem().string() + ".pyc");
    modules.emplace_back(pyc, source.stem().string());
    if (tag.empty() || !fs::exists(pyc))
      argv.insert(argv.end(), {source.string(), pyc.string(), name});
  }
  if (argv.size() > 5 || tag.empty()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    TrustedRun run;
    run.argv = argv;
    run.timeout = std::chrono::milliseconds(30000);
    auto out = run_trusted(run);
    if (!out || out->exit_code != 0) return {};
    tag = out->stdout_data.substr(0, out->stdout_data.find('\n'));
    write_cached(tag_file, tag);
  }
  std::vector<BoxExtraFile> files;
  for (const auto& [pyc, stem] : modules)
    files.push_back({pyc, "__pycache__/" + stem + "." + tag + ".pyc"});
  return files;
}

}  // namespace

std::vector<BoxExtraFile> harness_bytecode(const Task& task) {
  if (!is_python(task)) return {};
  static std::mutex mutex;
  static std::map<std::string, std::vector<BoxExtraFile>> compiled;  // by task dir + stamp
  std::lock_guard lock(mutex);
  std::string key = task.dir.string() + "\n" + task.stamp;
  auto it = compiled.find(key);
  if (it == compiled.end()) it = compiled.emplace(key, compile(task)).first;
  return it->second;
}

}  // namespace gradebox
