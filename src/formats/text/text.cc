#include "formats/text/text.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "formats/stix_build.h"
#include "formats/strings.h"
#include "normalize/classify.h"
#include "normalize/extract.h"

namespace tessera::formats {
namespace {

constexpr std::string_view kLines = "lines";
constexpr std::string_view kText = "text";

struct TextOptions {
  bool indicators = false;
  std::optional<normalize::Kind> kind;
};

core::Result<TextOptions> ParseOptions(const ReadContext& context, std::string_view format) {
  TextOptions out;
  std::vector<std::string_view> keys = {"indicators"};
  if (format == kLines) keys.push_back("kind");
  TESSERA_RETURN_IF_ERROR(CheckOptions(context, format, keys));
  if (const std::string* v = context.Option("indicators")) {
    if (*v != "yes" && *v != "no") {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "option indicators takes yes or no, not '" + *v + "'");
    }
    out.indicators = *v == "yes";
  }
  if (const std::string* v = context.Option("kind")) {
    out.kind = normalize::KindFromName(*v);
    if (!out.kind) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "option kind: '" + *v + "' is not a kind (see tessera normalize --help)");
    }
  }
  return out;
}

// At least 90% of the first 200 lines (comments and blank lines aside) are one
// token that classifies as an observable (or is a URL): a list, not prose or
// markup that happens to hold many one-word lines (a report's hash blocks
// between "----").
Detection DetectLines(std::string_view head) {
  size_t lines = 0, observables = 0, start = 0;
  while (start < head.size() && lines < 200) {
    size_t end = head.find('\n', start);
    if (end == std::string_view::npos) {
      if (start > 0) break;  // a cut last line: not judged
      end = head.size();
    }
    std::string_view line = head.substr(start, end - start);
    start = end + 1;
    size_t a = line.find_first_not_of(" \t\r");
    if (a == std::string_view::npos || line[a] == '#') continue;
    size_t b = line.find_last_not_of(" \t\r");
    std::string_view token = line.substr(a, b - a + 1);
    ++lines;
    // A URL that does not canonicalize (an empty label) still makes a list line.
    if (token.find_first_of(" \t,;") == std::string_view::npos &&
        (token.find("://") != std::string_view::npos || !normalize::Classify(token).kinds.empty())) {
      ++observables;
    }
  }
  if (lines == 0 || observables * 10 < lines * 9) return {};
  return {10, std::to_string(observables) + " of " + std::to_string(lines) +
                  " lines are one observable each (a list)"};
}

Detection DetectText(std::string_view head) {
  // Structured data no reader claimed is not prose: better "unknown" than a guess.
  size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || head[first] == '{' || head[first] == '[' ||
      head[first] == '<') {
    return {};
  }
  return {5, "prose (no structured format recognized): observables are extracted from the text"};
}

class Emitter {
 public:
  Emitter(std::string_view format, const Input& input, const ReadContext& context,
          const TextOptions& options, Sink* sink)
      : format_(format), file_(input.name()), context_(context), options_(options), sink_(sink) {}

  void Observable(const normalize::Observable& o, uint64_t line, uint64_t offset) {
    Record record;
    record.format = format_;
    record.position = Position(line, offset);
    AddObservable(&record, o, options_.indicators, context_.now);
    sink_->Accept(std::move(record));
  }

  void Reject(uint64_t line, uint64_t offset, std::string reason, std::string_view raw) {
    Rejected rejected;
    rejected.format = format_;
    rejected.position = Position(line, offset);
    rejected.reason = std::move(reason);
    rejected.SetRaw(raw);
    sink_->Reject(std::move(rejected));
  }

 private:
  SourcePosition Position(uint64_t line, uint64_t offset) {
    return {.file = file_, .line = line, .byte_offset = offset, .record = record_++};
  }

  std::string_view format_;
  std::string file_;
  const ReadContext& context_;
  const TextOptions& options_;
  Sink* sink_;
  uint64_t record_ = 0;
};

core::Status ReadLines(Input& input, const ReadContext& context, Sink& sink) {
  auto options = ParseOptions(context, kLines);
  if (!options.ok()) return options.error();
  Emitter emit(kLines, input, context, *options, &sink);
  std::string_view chunk;
  uint64_t line_number = 0;
  while (true) {
    uint64_t chunk_offset = input.offset();
    if (!input.Next(&chunk)) break;
    ForEachLine(chunk, [&](std::string_view line, size_t pos) {
      uint64_t offset = chunk_offset + pos;
      ++line_number;
      size_t a = line.find_first_not_of(" \t\r");
      if (a == std::string_view::npos || line[a] == '#') return;
      auto result = options->kind ? normalize::NormalizeAs(*options->kind, line, context.normalize)
                                  : normalize::Normalize(line, context.normalize);
      if (result.ok()) {
        emit.Observable(*result, line_number, offset);
      } else {
        emit.Reject(line_number, offset, result.error().message, line);
      }
    });
  }
  if (input.failed()) return core::MakeError(core::ErrorCode::kIo, "read error", input.name());
  return {};
}

core::Status ReadText(Input& input, const ReadContext& context, Sink& sink) {
  auto options = ParseOptions(context, kText);
  if (!options.ok()) return options.error();
  Emitter emit(kText, input, context, *options, &sink);
  normalize::ExtractOptions extract;
  extract.normalize = context.normalize;
  std::string_view chunk;
  uint64_t line = 1;  // the line the current chunk starts on
  while (true) {
    uint64_t chunk_offset = input.offset();
    if (!input.Next(&chunk)) break;
    size_t counted = 0;  // newlines before `counted` are in `line`
    uint64_t at_line = line;
    for (const normalize::Extracted& e : normalize::ExtractObservables(chunk, extract)) {
      for (; counted < e.offset; ++counted) at_line += chunk[counted] == '\n' ? 1 : 0;
      emit.Observable(e.observable, at_line, chunk_offset + e.offset);
    }
    for (char c : chunk) line += c == '\n' ? 1 : 0;
  }
  if (input.failed()) return core::MakeError(core::ErrorCode::kIo, "read error", input.name());
  return {};
}

}  // namespace

std::vector<Format> TextFormats() {
  std::vector<Format> out;
  Format lines;
  lines.name = std::string(kLines);
  lines.description = "one observable per line ('#' comments), each classified or of --option kind";
  lines.detect = DetectLines;
  lines.read = ReadLines;
  lines.options = {{"kind", "read every line as this kind (ipv4, domain, url, sha256, ...)"},
                   {"indicators", "yes: an indicator with a STIX pattern per observable"}};
  out.push_back(std::move(lines));

  Format text;
  text.name = std::string(kText);
  text.description = "free text (reports, e-mails, chat): every observable found, defanged or not";
  text.detect = DetectText;
  text.read = ReadText;
  text.options = {{"indicators", "yes: an indicator with a STIX pattern per observable"}};
  out.push_back(std::move(text));
  return out;
}

}  // namespace tessera::formats
