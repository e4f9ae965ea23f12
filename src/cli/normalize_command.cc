// `tessera normalize`: canonical observables from lists, free text or STIX, as
// JSON lines, canonical values or a STIX bundle. Streams: memory is bounded by
// the de-duplication set (and, for STIX input, by one document).
#include "cli/normalize_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <cstring>
#include <utility>
#include <vector>

#include "cli/batch_builder.h"
#include "cli/exit_codes.h"
#include "cli/io.h"
#include "core/json.h"
#include "core/time.h"
#include "core/uuid.h"
#include "formats/input.h"
#include "formats/reader.h"
#include "formats/registry.h"
#include "formats/stix_build.h"
#include "normalize/classify.h"
#include "normalize/extract.h"
#include "normalize/id_set.h"
#include "normalize/identifiers.h"
#include "normalize/json_line.h"
#include "normalize/stix_mapping.h"
#include "stix/bundle.h"

namespace tessera::cli {
namespace {

using normalize::Kind;
using normalize::Observable;

// Lists and prose have fast paths of their own; every other format goes
// through its reader (formats/) and the observables of the objects it makes.
enum class InputMode { kLines, kText, kReader };
enum class OutputMode { kJsonl, kStix, kLines };

struct NormalizeCommandOptions {
  std::vector<std::string> files;
  std::string from = "auto";
  std::string to = "jsonl";
  std::string kind;
  std::string card_key_file;
  bool indicators = false;
  bool strict = false;
  bool assume_http = false;
  bool keep_duplicates = false;
  bool verbose = false;
  std::vector<std::string> reader_options;  // key=value
};

// ---- output ----------------------------------------------------------------------

// Bytes waiting to be written: a plain growable array, so that a JSON line can be
// written straight into room reserved for it (a std::string would zero that room
// first).
class OutputBytes {
 public:
  // Room for `n` more bytes; write them, then Commit the end of what was written.
  char* Reserve(size_t n) {
    if (capacity_ - size_ < n) Grow(size_ + n);
    return data_.get() + size_;
  }
  void Commit(char* end) { size_ = static_cast<size_t>(end - data_.get()); }

  OutputBytes& operator+=(std::string_view text) {
    std::memcpy(Reserve(text.size()), text.data(), text.size());
    size_ += text.size();
    return *this;
  }
  OutputBytes& operator+=(char c) {
    *Reserve(1) = c;
    ++size_;
    return *this;
  }

  char* data() { return data_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void Truncate(size_t size) { size_ = size; }
  void clear() { size_ = 0; }

 private:
  void Grow(size_t need) {
    size_t capacity = std::max<size_t>(capacity_ * 2, std::max<size_t>(need, 1 << 17));
    auto data = std::make_unique<char[]>(capacity);
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

class Output {
 public:
  Output(OutputMode mode, bool indicators) : mode_(mode), indicators_(indicators) {}
  ~Output() { Flush(); }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  // `id` is the observable's STIX id (its parts), computed once by the caller.
  void Emit(const Observable& o, const normalize::StixIdParts& id) {
    switch (mode_) {
      case OutputMode::kLines:
        buffer_ += o.value;
        buffer_ += '\n';
        break;
      case OutputMode::kJsonl: {
        char* line = buffer_.Reserve(normalize::JsonLineCapacity(o, id));
        buffer_.Commit(normalize::WriteJsonLine(o, id, line));
        break;
      }
      case OutputMode::kStix: {
        core::Json object = normalize::ToStixObject(o);
        WriteStixObject(object);
        uses_custom_types_ = uses_custom_types_ || object.Find("extensions") != nullptr;
        std::string pattern = indicators_ ? normalize::ToStixPattern(o) : std::string();
        if (!pattern.empty()) {
          core::Json indicator = Indicator(o, pattern);
          WriteStixObject(BasedOn(indicator, object));
          WriteStixObject(indicator);
        }
        break;
      }
    }
    if (hold_ == 0 && buffer_.size() > (1 << 16)) Flush();
  }

  // While held, what Emit writes stays in the buffer (it is not flushed), so that
  // the caller can still take it out again (MoveBack, Truncate).
  void Hold() { ++hold_; }
  void Release() {
    --hold_;
    if (hold_ == 0 && buffer_.size() > (1 << 16)) Flush();
  }
  // The buffer's size: the offset of what Emit writes next (valid while held).
  size_t Mark() const { return buffer_.size(); }
  // Moves the bytes [begin, end) of the buffer `by` bytes to the front.
  void MoveBack(size_t begin, size_t end, size_t by) {
    std::memmove(buffer_.data() + begin - by, buffer_.data() + begin, end - begin);
  }
  void Truncate(size_t size) { buffer_.Truncate(size); }

  // An object a reader made, written as is (--to stix).
  void EmitObject(const stix::StixObject& object) {
    if (!bundle_started_) StartBundle();
    buffer_ += first_object_ ? "\n" : ",\n";
    first_object_ = false;
    buffer_ += object.json;
    uses_custom_types_ = uses_custom_types_ || object.json.find("\"extensions\"") != std::string::npos;
    if (buffer_.size() > (1 << 16)) Flush();
  }

  // Closes the bundle (adding Tessera's extension-definitions when custom
  // observable types or source fields were written).
  void Finish() {
    if (mode_ == OutputMode::kStix) {
      if (uses_custom_types_) {
        for (const core::Json& def : normalize::TesseraExtensionDefinitions()) WriteStixObject(def);
        WriteStixObject(formats::SourceFieldsExtensionDefinition());
      }
      if (!bundle_started_) StartBundle();
      buffer_ += "\n]}\n";
    }
    Flush();
    std::fflush(stdout);  // before the summary goes to stderr
  }

 private:
  void StartBundle() {
    buffer_ += "{\"type\":\"bundle\",\"id\":\"bundle--";
    buffer_ += core::UuidV4().ToString();
    buffer_ += "\",\"objects\":[";
    bundle_started_ = true;
  }

  void WriteStixObject(const core::Json& object) {
    if (!bundle_started_) StartBundle();
    buffer_ += first_object_ ? "\n" : ",\n";
    first_object_ = false;
    json_.clear();
    core::WriteJson(object, core::JsonStyle::kCompact, &json_);
    buffer_ += json_;
  }

  // Deterministic ids (formats/stix_build.h): the same input gives the same bundle.
  static core::Json Indicator(const Observable& o, const std::string& pattern) {
    core::Json ind = formats::NewIndicator(pattern, "stix", core::FormatTimestamp(core::Now(3)));
    ind.Set("name", core::Json::String(std::string(normalize::KindName(o.kind)) + " " + o.value));
    return ind;
  }

  // STIX 2.1 §4.7: an indicator is "based-on" the observable its pattern names.
  static core::Json BasedOn(const core::Json& indicator, const core::Json& sco) {
    return formats::NewRelationship(indicator.Find("id")->as_string(), "based-on",
                                    sco.Find("id")->as_string(),
                                    indicator.Find("created")->as_string());
  }

  void Flush() {
    if (buffer_.empty()) return;
    std::fwrite(buffer_.data(), 1, buffer_.size(), stdout);
    buffer_.clear();
  }

  OutputMode mode_;
  bool indicators_;

 public:
  OutputMode mode() const { return mode_; }

 private:
  int hold_ = 0;
  bool bundle_started_ = false;
  bool first_object_ = true;
  bool uses_custom_types_ = false;
  OutputBytes buffer_;
  std::string json_;  // one STIX object
};

// ---- the run -----------------------------------------------------------------------

class Normalizer {
 public:
  Normalizer(const NormalizeCommandOptions& options, normalize::NormalizeOptions normalize_options,
             std::optional<Kind> kind, Output* output)
      : options_(options),
        normalize_(std::move(normalize_options)),
        tokens_(normalize_),
        kind_(kind),
        output_(output),
        batched_(!options.keep_duplicates && output->mode() != OutputMode::kStix) {}
  ~Normalizer() { ResolvePending(); }
  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

  // Returns false when --strict stops the run.
  bool Accept(const Observable& o) {
    ++found_;
    normalize::StixIdParts id = normalize::StixIdOf(o);
    if (batched_) {
      // Written at once, its id checked with the next kBatch - 1 (ResolvePending):
      // a random probe into hundreds of MiB each, they wait for memory together.
      if (pending_.empty()) output_->Hold();
      size_t begin = output_->Mark();
      output_->Emit(o, id);
      pending_.push_back(PendingLine{id.uuid, begin, output_->Mark()});
      if (pending_.size() == kBatch) ResolvePending();
      return true;
    }
    if (!options_.keep_duplicates && !seen_.Insert(id.uuid)) {
      ++duplicates_;
      return true;
    }
    output_->Emit(o, id);
    return true;
  }

  // Checks the ids of the lines written since the last call, in order, and cuts
  // the duplicates' lines out of the output. Call before the counts are read.
  void ResolvePending() {
    if (pending_.empty()) return;
    size_t cut = 0;  // bytes of duplicate lines removed so far
    for (const PendingLine& line : pending_) seen_.Prefetch(line.uuid);
    for (const PendingLine& line : pending_) {
      if (!seen_.Insert(line.uuid)) {
        ++duplicates_;
        cut += line.end - line.begin;
      } else if (cut > 0) {
        output_->MoveBack(line.begin, line.end, cut);
      }
    }
    output_->Truncate(pending_.back().end - cut);
    pending_.clear();
    output_->Release();
  }

  bool Reject(const std::string& where, const std::string& reason) {
    ++rejected_;
    std::cerr << where << ": " << reason << '\n';
    return !options_.strict;
  }

  // One line of a list; `name` and `line` only make the message of a rejection.
  bool Token(const std::string& name, size_t line, std::string_view token) {
    if (!kind_) {
      const Observable* o = tokens_.Normalize(token);
      if (o == nullptr) return Reject(name + ":" + std::to_string(line), tokens_.error());
      return Accept(*o);
    }
    auto result = normalize::NormalizeAs(*kind_, token, normalize_);
    if (!result.ok()) return Reject(name + ":" + std::to_string(line), result.error().message);
    return Accept(*result);
  }

  bool Text(std::string_view text) {
    normalize::ExtractOptions extract;
    extract.normalize = normalize_;
    for (const normalize::Extracted& e : normalize::ExtractObservables(text, extract)) {
      if (!Accept(e.observable)) return false;
    }
    return true;
  }

  // The objects of one record a reader made: written as they are (--to stix,
  // once per id and version) or as the observables they carry.
  bool Objects(const formats::Record& record) {
    std::string where = record.position.ToString();
    for (const stix::StixObject& object : record.objects) {
      if (output_->mode() == OutputMode::kStix) {
        ++found_;
        core::Uuid key = core::UuidV5(normalize::TesseraNamespace(), object.id + "|" + object.modified);
        if (!options_.keep_duplicates && !seen_.Insert(key)) {
          ++duplicates_;
          continue;
        }
        output_->EmitObject(object);
        continue;
      }
      auto tree = core::ParseJson(object.json);
      if (!tree.ok()) continue;
      if (!StixObject(where, *tree)) return false;
    }
    return true;
  }

  void Summary(double seconds) {
    ResolvePending();
    std::cerr << "normalize: " << found_ << " observables, " << (found_ - duplicates_)
              << " unique, " << duplicates_ << " duplicates removed, " << rejected_
              << " rejected";
    if (options_.verbose) std::cerr << " (" << seconds << " s)";
    std::cerr << '\n';
  }

  size_t rejected() const { return rejected_; }

 private:
  bool StixValue(const std::string& where, Kind kind, std::string_view value) {
    auto result = normalize::NormalizeAs(kind, value, normalize_);
    if (!result.ok()) return Reject(where, result.error().message);
    return Accept(*result);
  }
  bool StixObject(const std::string& where, const core::Json& object);
  bool StixPattern(const std::string& where, std::string_view pattern);

  // A line written to the output whose id is not checked yet.
  struct PendingLine {
    core::Uuid uuid;
    size_t begin;  // its bytes in the output buffer
    size_t end;
  };
  // Enough probes in flight to hide the set's cache misses; a few KiB of output.
  static constexpr size_t kBatch = 64;

  const NormalizeCommandOptions& options_;
  normalize::NormalizeOptions normalize_;
  normalize::TokenNormalizer tokens_;  // lines without --kind
  std::optional<Kind> kind_;
  Output* output_;
  bool batched_;  // de-duplicating in batches (not for --to stix)
  std::vector<PendingLine> pending_;
  normalize::IdSet seen_;  // the ids written
  size_t found_ = 0;
  size_t duplicates_ = 0;
  size_t rejected_ = 0;
};

std::optional<Kind> HashKind(std::string_view algorithm) {
  if (algorithm == "MD5") return Kind::kMd5;
  if (algorithm == "SHA-1" || algorithm == "SHA1") return Kind::kSha1;
  if (algorithm == "SHA-256" || algorithm == "SHA256") return Kind::kSha256;
  if (algorithm == "SHA-512" || algorithm == "SHA512") return Kind::kSha512;
  if (algorithm == "SSDEEP") return Kind::kSsdeep;
  if (algorithm == "TLSH") return Kind::kTlsh;
  return std::nullopt;
}

// The value-carrying SCO types and the kind their `value` is.
std::optional<Kind> ValueKind(std::string_view type, std::string_view value) {
  bool network = value.find('/') != std::string_view::npos;
  if (type == "ipv4-addr") return network ? Kind::kIpv4Network : Kind::kIpv4;
  if (type == "ipv6-addr") return network ? Kind::kIpv6Network : Kind::kIpv6;
  if (type == "domain-name") return Kind::kDomain;
  if (type == "url") return Kind::kUrl;
  if (type == "email-addr") return Kind::kEmail;
  if (type == "mac-addr") return Kind::kMac;
  return std::nullopt;
}

bool Normalizer::StixObject(const std::string& where, const core::Json& object) {
  const core::Json* type_json = object.Find("type");
  if (type_json == nullptr || !type_json->is_string()) return true;
  const std::string& type = type_json->as_string();
  if (const core::Json* value = object.Find("value"); value != nullptr && value->is_string()) {
    if (auto kind = ValueKind(type, value->as_string())) {
      return StixValue(where, *kind, value->as_string());
    }
  }
  if (type == "file") {
    if (const core::Json* hashes = object.Find("hashes"); hashes != nullptr && hashes->is_object()) {
      for (const auto& [algorithm, hash] : hashes->as_object()) {
        auto kind = HashKind(algorithm);
        if (kind && hash.is_string() && !StixValue(where, *kind, hash.as_string())) return false;
      }
    }
    if (const core::Json* name = object.Find("name"); name != nullptr && name->is_string()) {
      return StixValue(where, Kind::kFileName, name->as_string());
    }
    return true;
  }
  if (type == "autonomous-system") {
    int64_t number = 0;
    const core::Json* n = object.Find("number");
    if (n != nullptr && n->is_number() && n->GetInt64(&number)) {
      return StixValue(where, Kind::kAsn, "AS" + std::to_string(number));
    }
    return true;
  }
  if (type == "vulnerability") {
    const core::Json* name = object.Find("name");
    if (name != nullptr && name->is_string() && normalize::CanonicalCve(name->as_string()).ok()) {
      return StixValue(where, Kind::kCve, name->as_string());
    }
    return true;
  }
  if (type == "indicator") {
    const core::Json* pattern = object.Find("pattern");
    const core::Json* pattern_type = object.Find("pattern_type");
    bool stix_pattern = pattern_type == nullptr ||
                        (pattern_type->is_string() && pattern_type->as_string() == "stix");
    if (pattern != nullptr && pattern->is_string() && stix_pattern) {
      return StixPattern(where, pattern->as_string());
    }
  }
  return true;
}

// Pulls the observables out of a STIX pattern's equality comparisons:
// `domain-name:value = 'x'`, `file:hashes.'SHA-256' = 'h'`, `url:value = '...'`.
// Other comparisons (LIKE, MATCHES, ranges) name no single value and are skipped.
bool Normalizer::StixPattern(const std::string& where, std::string_view pattern) {
  size_t pos = 0;
  while ((pos = pattern.find('=', pos)) != std::string_view::npos) {
    size_t eq = pos++;
    if (eq > 0 && (pattern[eq - 1] == '!' || pattern[eq - 1] == '<' || pattern[eq - 1] == '>')) {
      continue;
    }
    // The literal after '='.
    size_t q = pattern.find_first_not_of(' ', eq + 1);
    if (q == std::string_view::npos || pattern[q] != '\'') continue;
    std::string literal;
    size_t i = q + 1;
    for (; i < pattern.size() && pattern[i] != '\''; ++i) {
      if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
      literal += pattern[i];
    }
    // The object path before '=': back to '[' or a boolean operator.
    size_t start = pattern.find_last_of("[(", eq);
    size_t and_or = std::max(pattern.rfind(" AND ", eq), pattern.rfind(" OR ", eq));
    if (and_or != std::string_view::npos && (start == std::string_view::npos || and_or > start)) {
      start = pattern.find(' ', and_or + 1);
    }
    std::string_view path = pattern.substr(start == std::string_view::npos ? 0 : start + 1,
                                           eq - (start == std::string_view::npos ? 0 : start + 1));
    while (!path.empty() && path.back() == ' ') path.remove_suffix(1);
    while (!path.empty() && path.front() == ' ') path.remove_prefix(1);
    size_t colon = path.find(':');
    pos = i;
    if (colon == std::string_view::npos) continue;
    std::string_view type = path.substr(0, colon);
    std::string_view property = path.substr(colon + 1);
    std::optional<Kind> kind;
    if (property == "value") {
      kind = ValueKind(type, literal);
    } else if (type == "file" && property.rfind("hashes.", 0) == 0) {
      std::string_view algorithm = property.substr(7);
      if (!algorithm.empty() && algorithm.front() == '\'') algorithm.remove_prefix(1);
      if (!algorithm.empty() && algorithm.back() == '\'') algorithm.remove_suffix(1);
      kind = HashKind(algorithm);
    } else if (type == "file" && property == "name") {
      kind = Kind::kFileName;
    } else if (type == "email-message" && property == "from_ref.value") {
      kind = Kind::kEmail;
    }
    if (kind && !StixValue(where, *kind, literal)) return false;
  }
  return true;
}

// Hands a reader's records to the normalizer and its rejects to the error
// stream; after --strict stopped the run, the rest is ignored.
class NormalizerSink : public formats::Sink {
 public:
  explicit NormalizerSink(Normalizer* normalizer) : normalizer_(normalizer) {}
  void Accept(formats::Record&& record) override {
    if (!stopped_) stopped_ = !normalizer_->Objects(record);
  }
  void Reject(formats::Rejected&& rejected) override {
    if (!stopped_) stopped_ = !normalizer_->Reject(rejected.position.ToString(), rejected.reason);
  }
  bool stopped() const { return stopped_; }

 private:
  Normalizer* normalizer_;
  bool stopped_ = false;
};

int RunNormalize(const NormalizeCommandOptions& opt) {
  OutputMode out_mode = opt.to == "stix" ? OutputMode::kStix
                        : opt.to == "lines" ? OutputMode::kLines
                                            : OutputMode::kJsonl;
  std::optional<Kind> kind;
  if (!opt.kind.empty()) kind = normalize::KindFromName(opt.kind);

  normalize::NormalizeOptions normalize_options;
  normalize_options.assume_http_without_scheme = opt.assume_http;
  if (!opt.card_key_file.empty()) {
    auto key = ReadInput(opt.card_key_file);
    if (!key.ok()) {
      std::cerr << "tessera: " << key.error().ToString() << '\n';
      return ExitCodeFor(key.error().code);
    }
    // A key file usually ends in a newline that is not part of the key.
    normalize_options.payment_card_key = std::string(normalize::detail::TrimAsciiSpace(*key));
  } else if (const char* env = std::getenv("TESSERA_CARD_KEY"); env != nullptr) {
    normalize_options.payment_card_key = env;
  }

  formats::ReadContext context;
  context.now = core::FormatTimestamp(core::Now(3));
  context.normalize = normalize_options;
  if (auto s = ParseReaderOptions(opt.reader_options, &context); !s.ok()) {
    std::cerr << "tessera: " << s.error().message << '\n';
    return kExitUsage;
  }

  auto start = std::chrono::steady_clock::now();
  Output output(out_mode, opt.indicators);
  Normalizer normalizer(opt, normalize_options, kind, &output);
  std::vector<std::string> files = opt.files.empty() ? std::vector<std::string>{"-"} : opt.files;
  bool stopped = false;
  for (const std::string& path : files) {
    auto input = formats::Input::Open(path);
    if (!input.ok()) {
      std::cerr << "tessera: " << input.error().ToString() << '\n';
      return ExitCodeFor(input.error().code);
    }
    const std::string& name = input->name();
    const formats::Format* format = nullptr;
    if (opt.from == "auto") {
      auto detected = formats::DetectFormat(*input);
      if (!detected.ok()) {
        std::cerr << "tessera: " << detected.error().ToString() << " (name the format with --from)\n";
        return kExitInvalidData;
      }
      format = detected->format;
      if (opt.verbose) {
        std::cerr << name << ": reading as " << format->name << ": " << detected->detection.reason
                  << '\n';
      }
    } else {
      format = formats::FindFormat(opt.from);
    }
    InputMode mode = format->name == "lines" && context.options.empty() ? InputMode::kLines
                     : format->name == "text" && context.options.empty() ? InputMode::kText
                                                                          : InputMode::kReader;
    if (mode == InputMode::kReader) {
      NormalizerSink sink(&normalizer);
      core::Status status = format->read(*input, context, sink);
      stopped = sink.stopped();
      if (!status.ok()) {
        std::cerr << "tessera: " << (status.error().location.empty() ? name + ": " : "")
                  << status.error().ToString() << '\n';
        normalizer.ResolvePending();
        output.Finish();
        return ExitCodeFor(status.error().code);
      }
    } else {
      size_t line_number = 0;
      std::string_view chunk;
      while (!stopped && input->Next(&chunk)) {
        if (mode == InputMode::kText) {
          stopped = !normalizer.Text(chunk);
          continue;
        }
        size_t pos = 0;
        while (pos < chunk.size() && !stopped) {
          size_t end = chunk.find('\n', pos);
          if (end == std::string_view::npos) end = chunk.size();
          std::string_view line = chunk.substr(pos, end - pos);
          pos = end + 1;
          ++line_number;
          size_t a = 0;
          while (a < line.size() && (line[a] == ' ' || line[a] == '\t' || line[a] == '\r')) ++a;
          if (a == line.size() || line[a] == '#') continue;
          stopped = !normalizer.Token(name, line_number, line);
        }
      }
      if (input->failed()) {
        std::cerr << "tessera: " << name << ": read error\n";
        return kExitInputError;
      }
    }
    if (stopped) break;
  }
  normalizer.ResolvePending();
  output.Finish();
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  normalizer.Summary(elapsed.count());
  if (stopped) return kExitInvalidData;
  return kExitOk;
}

}  // namespace

void RegisterNormalizeCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<NormalizeCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "normalize",
      "Turn observables written any which way (defanged, mixed case, IDN, odd IP forms) into "
      "canonical values with STIX 2.1 ids. Reads lists (one observable per line; '#' comments), "
      "free text (every observable found, each once, in order), STIX, and every format of "
      "'tessera formats' (MISP, STIX 1.x, OpenIOC, feeds, ...): jsonl and lines give the "
      "observables of the objects read (SCOs and indicator patterns), stix the objects "
      "themselves. Duplicates are removed, first occurrence kept. A bad "
      "record is reported on stderr as FILE:LINE: reason and the run goes on; a summary closes "
      "the run on stderr. Exit 0 when the run completed, 1 when --strict stopped it, 3 when an "
      "input could not be read.");
  cmd->add_option("files", opt->files, "Input files; none or '-' reads standard input");
  std::vector<std::string> format_names = {"auto"};
  for (const formats::Format& f : formats::AllFormats()) format_names.push_back(f.name);
  cmd->add_option("--from", opt->from,
                  "Input format: auto (default: detected from the content; -v says which and "
                  "why) or a format name from 'tessera formats' (lines, text, stix, misp, ...)")
      ->check(CLI::IsMember(format_names));
  cmd->add_option("-o,--option", opt->reader_options,
                  "KEY=VALUE option for the reader (repeatable; 'tessera formats --json' lists "
                  "each format's options)")
      ->allow_extra_args(false);
  cmd->add_option("--to", opt->to,
                  "Output: jsonl (default; {\"type\",\"value\",\"id\", kind fields}), lines "
                  "(canonical values), stix (a STIX 2.1 bundle: the SCOs of lists and text, "
                  "every object other readers make)")
      ->check(CLI::IsMember({"jsonl", "lines", "stix"}));
  std::vector<std::string> kind_names;
  for (Kind k : normalize::AllKinds()) kind_names.emplace_back(normalize::KindName(k));
  cmd->add_option("--kind", opt->kind,
                  "Treat every line as this kind instead of classifying it (lines input)")
      ->check(CLI::IsMember(kind_names));
  cmd->add_flag("--indicators", opt->indicators,
                "With --to stix: also one indicator per observable with its STIX pattern");
  cmd->add_flag("--strict", opt->strict, "Stop at the first bad record (exit 1)");
  cmd->add_flag("--assume-http", opt->assume_http,
                "Read scheme-less URLs (example.com/path) as http:// URLs");
  cmd->add_flag("--keep-duplicates", opt->keep_duplicates, "Do not remove duplicates");
  cmd->add_option("--card-key-file", opt->card_key_file,
                  "File holding the HMAC key for payment card numbers (default: $TESSERA_CARD_KEY; "
                  "without a key, card numbers are rejected: they are never written in clear)");
  cmd->add_flag("-v,--verbose", opt->verbose, "Say which format was detected and why, and timing");
  cmd->callback([opt, exit_code] { *exit_code = RunNormalize(*opt); });
}

}  // namespace tessera::cli
