#include "formats/feeds/feeds.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "formats/feeds/bundled.h"
#include "formats/feeds/delimited.h"
#include "formats/feeds/row.h"
#include "formats/feeds/time_format.h"

namespace tessera::formats {
namespace feeds {
namespace {

constexpr std::string_view kCsvFormat = "csv";

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty() || needle.size() > haystack.size()) return needle.empty();
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && Lower(haystack[i + k]) == Lower(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// The text of a comment line without its prefix, or nullopt when it is not one.
bool CommentText(std::string_view line, const std::vector<std::string>& prefixes,
                 std::string_view* text) {
  std::string_view t = TrimBlanks(line);
  for (const std::string& prefix : prefixes) {
    if (StartsWith(t, prefix)) {
      *text = TrimBlanks(t.substr(prefix.size()));
      return true;
    }
  }
  return false;
}

bool IsDataLine(std::string_view trimmed, const std::vector<std::string>& data_prefixes) {
  if (data_prefixes.empty()) return true;
  for (const std::string& prefix : data_prefixes) {
    if (StartsWith(trimmed, prefix)) return true;
  }
  return false;
}

SplitOptions SplitOptionsFor(const FeedDefinition& def) {
  SplitOptions options;
  options.delimiter = def.delimiter;
  options.whitespace = def.layout == Layout::kWhitespace;
  options.quote = def.quote;
  options.trim = def.trim;
  return options;
}

// Streams one input through a definition.
class FeedReader {
 public:
  FeedReader(const FeedDefinition& def, std::string_view format, const ReadContext& context,
             Sink& sink, bool fast, std::string file)
      : def_(def),
        format_(format),
        sink_(sink),
        splitter_(SplitOptionsFor(def)),
        header_splitter_(SplitOptionsFor(def)),
        mapper_(def, context.normalize),
        builder_(format, def, context.now, fast),
        file_(std::move(file)) {
    header_pending_ = def.header != HeaderMode::kNo;
  }

  // Processes complete records of `text` (which starts at input offset `base`);
  // returns the bytes consumed. Without `at_end`, a record cut at the end of
  // `text` is left for the next call.
  size_t Process(std::string_view text, uint64_t base, bool at_end) {
    size_t pos = 0;
    while (pos < text.size()) {
      const char* start = text.data() + pos;
      const void* nl = std::memchr(start, '\n', text.size() - pos);
      if (nl == nullptr && !at_end) break;
      size_t line_len = nl == nullptr ? text.size() - pos
                                      : static_cast<size_t>(static_cast<const char*>(nl) - start);
      std::string_view line(start, line_len);
      size_t step = line_len + (nl == nullptr ? 0 : 1);
      std::string_view trimmed = TrimBlanks(line);
      std::string_view comment;
      if (trimmed.empty()) {
        pos += step;
        ++line_;
        continue;
      }
      if (CommentText(line, def_.comments, &comment)) {
        OnBannerLine(comment, true);
        pos += step;
        ++line_;
        continue;
      }
      if (!IsDataLine(trimmed, def_.data_prefixes)) {
        OnBannerLine(trimmed, false);
        pos += step;
        ++line_;
        continue;
      }
      size_t consumed = 0;
      size_t lines = 0;
      RecordSplitter::Status status =
          splitter_.Split(text.substr(pos), at_end, &consumed, &lines, line_len);
      if (status == RecordSplitter::Status::kIncomplete) break;
      SourcePosition position;
      position.line = line_;
      position.byte_offset = base + pos;
      if (status == RecordSplitter::Status::kUnterminated) {
        position.record = record_index_++;
        Reject(position,
               "a quoted field is never closed (or is longer than 1 MiB); the line is "
               "skipped",
               splitter_.raw());
      } else {
        OnRecord(splitter_.fields(), splitter_.raw(), position);
      }
      pos += consumed;
      line_ += lines;
    }
    return pos;
  }

  void ProcessHtml(const std::vector<HtmlTableSplitter::Row>& rows) {
    for (const HtmlTableSplitter::Row& row : rows) {
      fields_.clear();
      for (const std::string& cell : row.cells) fields_.emplace_back(cell);
      SourcePosition position;
      position.line = row.line;
      position.byte_offset = row.byte_offset;
      if (row.header && !mapper_.bound()) {
        mapper_.BindHeader(fields_);
        header_pending_ = false;
        continue;
      }
      if (row.header) continue;
      OnRecord(fields_, row.raw, position);
    }
  }

 private:
  void OnBannerLine(std::string_view text, bool comment) {
    for (const BannerTime& banner : def_.banner_times) {
      std::string_view rest = TrimBlanks(text);
      if (!banner.prefix.empty()) {
        if (rest.size() < banner.prefix.size() ||
            !std::equal(banner.prefix.begin(), banner.prefix.end(), rest.begin(),
                        [](char a, char b) { return Lower(a) == Lower(b); })) {
          continue;
        }
        rest = TrimBlanks(rest.substr(banner.prefix.size()));
      }
      std::string parsed;
      if (ParseFeedTime(banner.format, rest, &parsed, true)) {
        banner_time_ = std::move(parsed);
        break;
      }
    }
    // A comment naming the columns (URLhaus "# id,dateadded,url,...").
    if (comment && !mapper_.bound() && def_.bind_by_name && !def_.columns.empty()) {
      size_t consumed = 0;
      size_t lines = 0;
      if (header_splitter_.Split(text, true, &consumed, &lines) ==
              RecordSplitter::Status::kRecord &&
          mapper_.LooksLikeHeader(header_splitter_.fields())) {
        // Own the names: the fields point into this line or into the
        // splitter's buffer, which later comment lines reuse.
        comment_header_.assign(header_splitter_.fields().begin(), header_splitter_.fields().end());
      }
    }
  }

  void OnRecord(const std::vector<std::string_view>& fields, std::string_view raw,
                SourcePosition position) {
    if (!mapper_.bound()) {
      if (!comment_header_.empty()) {
        mapper_.BindHeader(std::vector<std::string_view>(comment_header_.begin(),
                                                         comment_header_.end()));
        header_pending_ = false;
      } else if (header_pending_) {
        header_pending_ = false;
        bool is_header = def_.header == HeaderMode::kYes || mapper_.LooksLikeHeader(fields);
        if (is_header) {
          mapper_.BindHeader(fields);
          return;
        }
        mapper_.BindPositions();
      } else {
        mapper_.BindPositions();
      }
    }
    position.record = record_index_++;
    std::string reason;
    if (!mapper_.Map(fields, banner_time_, &row_, &reason)) {
      Reject(position, std::move(reason), raw);
      return;
    }
    record_.format = format_;
    record_.position.file.assign(file_);
    record_.position.line = position.line;
    record_.position.byte_offset = position.byte_offset;
    record_.position.record = position.record;
    record_.sharing = SharingRequest();
    record_.notes.clear();
    builder_.Build(row_, raw, banner_time_, &record_);
    sink_.Accept(std::move(record_));
  }

  void Reject(SourcePosition position, std::string reason, std::string_view raw) {
    Rejected rejected;
    rejected.format = format_;
    position.file = file_;
    rejected.position = std::move(position);
    rejected.reason = std::move(reason);
    rejected.SetRaw(raw);
    sink_.Reject(std::move(rejected));
  }

  const FeedDefinition& def_;
  std::string_view format_;
  Sink& sink_;
  RecordSplitter splitter_;
  RecordSplitter header_splitter_;
  RowMapper mapper_;
  RecordBuilder builder_;
  std::string file_;
  uint64_t line_ = 1;
  uint64_t record_index_ = 0;
  bool header_pending_ = true;
  std::string banner_time_;
  std::vector<std::string> comment_header_;
  std::vector<std::string_view> fields_;
  MappedRow row_;
  Record record_;
};

// ---- the bundled definitions ----

struct Bundled {
  std::vector<FeedDefinition> definitions;
  std::vector<core::Error> errors;
};

const Bundled& LoadBundled() {
  static const Bundled kBundled = [] {
    Bundled b;
    for (const BundledDefinitionText& text : BundledDefinitionTexts()) {
      auto def = ParseDefinition(text.text, "definitions/" + std::string(text.file));
      if (def.ok()) {
        b.definitions.push_back(std::move(*def));
      } else {
        b.errors.push_back(def.error());
      }
    }
    return b;
  }();
  return kBundled;
}

// The first data lines and comment lines of a head (at most 200 lines).
struct HeadLines {
  std::vector<std::string_view> comments;  // comment text, prefix removed
  std::vector<std::string_view> data;      // trimmed data lines
  std::vector<std::string_view> other;     // non-data lines (data_prefixes set)
};

HeadLines SplitHead(std::string_view head, const FeedDefinition& def) {
  HeadLines out;
  size_t pos = 0;
  size_t count = 0;
  while (pos < head.size() && count < 200) {
    size_t end = head.find('\n', pos);
    bool last = end == std::string_view::npos;
    if (last) end = head.size();
    std::string_view line = head.substr(pos, end - pos);
    pos = end + 1;
    ++count;
    // A cut last line of a long head is not looked at.
    if (last && head.size() >= kDetectBytes) break;
    std::string_view trimmed = TrimBlanks(line);
    std::string_view comment;
    if (trimmed.empty()) continue;
    if (CommentText(line, def.comments, &comment)) {
      out.comments.push_back(comment);
    } else if (!IsDataLine(trimmed, def.data_prefixes)) {
      out.other.push_back(trimmed);
    } else {
      out.data.push_back(trimmed);
    }
  }
  return out;
}

bool LooksBinary(std::string_view head) {
  return std::memchr(head.data(), '\0', std::min<size_t>(head.size(), 4096)) != nullptr;
}

}  // namespace

const std::vector<FeedDefinition>& BundledDefinitions() { return LoadBundled().definitions; }
const std::vector<core::Error>& BundledDefinitionErrors() { return LoadBundled().errors; }

core::Status ReadWithDefinition(const FeedDefinition& definition, std::string_view format,
                                Input& input, const ReadContext& context, Sink& sink, bool fast) {
  if (input.is_directory()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "a directory; this reader reads one delimited file", input.name());
  }
  FeedDefinition def = definition;
  if (def.layout == Layout::kDelimited && def.sniff_delimiter) {
    char sniffed = SniffDelimiter(input.Peek(kDetectBytes), def.comments, def.quote);
    if (sniffed == ' ') {
      def.layout = Layout::kWhitespace;
    } else {
      def.delimiter = sniffed;  // 0: one value per line
    }
  }
  FeedReader reader(def, format, context, sink, fast, input.name());
  std::string_view chunk;
  if (def.layout == Layout::kHtmlTable) {
    HtmlTableSplitter html;
    std::vector<HtmlTableSplitter::Row> rows;
    while (true) {
      uint64_t offset = input.offset();
      bool more = input.Next(&chunk);
      rows.clear();
      html.Feed(more ? chunk : std::string_view(), offset, !more, &rows);
      reader.ProcessHtml(rows);
      if (!more) break;
    }
  } else {
    std::string carry;  // a record cut by a chunk end (a quoted field with newlines)
    uint64_t carry_offset = 0;
    while (input.Next(&chunk)) {
      uint64_t chunk_offset = input.offset() - chunk.size();
      if (carry.empty()) {
        size_t used = reader.Process(chunk, chunk_offset, false);
        if (used < chunk.size()) {
          carry.assign(chunk.substr(used));
          carry_offset = chunk_offset + used;
        }
      } else {
        carry.append(chunk);
        size_t used = reader.Process(carry, carry_offset, false);
        carry.erase(0, used);
        carry_offset += used;
      }
    }
    if (!carry.empty()) reader.Process(carry, carry_offset, true);
  }
  if (input.failed()) return core::MakeError(core::ErrorCode::kIo, "read error", input.name());
  return {};
}

Detection DetectDefinition(const FeedDefinition& def, std::string_view head) {
  Detection none;
  if (def.detect_banners.empty() && def.detect_header.empty()) return none;
  if (head.empty() || LooksBinary(head)) return none;
  if (def.layout == Layout::kHtmlTable) {
    // An HTML page: markup first, and a table row in it.
    std::string_view t = TrimBlanks(head.substr(0, 512));
    while (!t.empty() && (t.front() == '\n' || t.front() == '\r' || t.front() == '\xef' ||
                          t.front() == '\xbb' || t.front() == '\xbf')) {
      t = TrimBlanks(t.substr(1));
    }
    if (t.empty() || t.front() != '<' || !ContainsNoCase(head, "<tr")) return none;
  }
  HeadLines lines = SplitHead(head, def);
  std::string reason;
  if (!def.detect_banners.empty()) {
    std::string_view hit;
    auto search = [&](const std::vector<std::string_view>& where) {
      for (std::string_view line : where) {
        for (const std::string& banner : def.detect_banners) {
          if (hit.empty() && ContainsNoCase(line, banner)) hit = banner;
        }
      }
    };
    search(lines.comments);
    if (def.layout == Layout::kHtmlTable || !def.data_prefixes.empty()) search(lines.other);
    if (def.layout == Layout::kHtmlTable) search(lines.data);
    if (hit.empty()) return none;
    reason = "banner '" + std::string(hit) + "'";
  }
  char delimiter = def.delimiter;
  if (def.layout == Layout::kDelimited && def.sniff_delimiter) {
    delimiter = SniffDelimiter(head, def.comments, def.quote);
  }
  SplitOptions options = SplitOptionsFor(def);
  options.delimiter = delimiter;
  options.whitespace = def.layout == Layout::kWhitespace || delimiter == ' ';
  RecordSplitter splitter(options);
  auto split = [&](std::string_view line) -> const std::vector<std::string_view>& {
    size_t consumed = 0;
    size_t n = 0;
    static const std::vector<std::string_view> kNone;
    if (splitter.Split(line, true, &consumed, &n) != RecordSplitter::Status::kRecord) return kNone;
    return splitter.fields();
  };
  if (!def.detect_header.empty()) {
    // The header: the first data line, or a comment naming the columns.
    std::vector<std::string_view> candidates = lines.comments;
    if (!lines.data.empty()) candidates.push_back(lines.data.front());
    bool found = false;
    for (std::string_view line : candidates) {
      std::vector<std::string> keys;
      for (std::string_view f : split(line)) keys.push_back(NameKey(f));
      bool all = true;
      for (const std::string& name : def.detect_header) {
        all = all && std::find(keys.begin(), keys.end(), NameKey(name)) != keys.end();
      }
      if (all) {
        found = true;
        break;
      }
    }
    if (!found) return none;
    reason += std::string(reason.empty() ? "" : " and ") + "header with " +
              std::to_string(def.detect_header.size()) + " known column names";
  }
  // The rows have the shape the definition reads; without a header to go by,
  // the rows must also map (their indicator column normalizes).
  if (def.layout != Layout::kHtmlTable) {
    size_t checked = 0;
    size_t mapped = 0;
    size_t minimum = def.columns.size() >= 2 ? 2 : 1;
    RowMapper mapper(def, normalize::NormalizeOptions());
    size_t first_row = def.detect_header.empty() ? 0 : 1;
    if (def.header == HeaderMode::kYes && !lines.data.empty()) {
      mapper.BindHeader(split(lines.data.front()));
      first_row = 1;
    }
    if (!mapper.bound() && def.bind_by_name && !def.columns.empty()) {
      for (std::string_view comment : lines.comments) {
        if (!mapper.bound() && mapper.LooksLikeHeader(split(comment)))
          mapper.BindHeader(split(comment));
      }
    }
    if (!mapper.bound()) mapper.BindPositions();
    MappedRow row;
    std::string why;
    for (size_t i = first_row; i < lines.data.size() && checked < 5; ++i) {
      const std::vector<std::string_view>& fields = split(lines.data[i]);
      size_t n = fields.size();
      if (n < minimum) return none;
      if (def.columns.size() == 1 && def.derived.empty() && n != 1) return none;
      if (def.detect_header.empty() && mapper.Map(fields, {}, &row, &why)) ++mapped;
      ++checked;
    }
    if (checked == 0) return none;
    if (def.detect_header.empty() && mapped * 2 < checked) return none;
  }
  Detection d;
  d.score = def.detect_score;
  d.reason = def.name + ": " + reason;
  return d;
}

Detection DetectDelimited(std::string_view head) {
  Detection none;
  if (head.empty() || LooksBinary(head)) return none;
  std::string_view t = TrimBlanks(head.substr(0, 256));
  while (!t.empty() && (t.front() == '\n' || t.front() == '\r')) t = TrimBlanks(t.substr(1));
  if (!t.empty() && (t.front() == '{' || t.front() == '[' || t.front() == '<')) return none;
  static const std::vector<std::string> kComments = {"#"};
  char delimiter = SniffDelimiter(head, kComments);
  if (delimiter == 0 || delimiter == ' ') return none;
  // Prose with a comma per sentence splits evenly too: rows whose fields hold
  // more than three words each on average are sentences, not records.
  size_t words = 0, fields = 0, rows = 0;
  for (size_t pos = 0; pos < head.size() && rows < 30;) {
    size_t end = head.find('\n', pos);
    std::string_view line = head.substr(pos, end == std::string_view::npos ? head.size() - pos : end - pos);
    pos = end == std::string_view::npos ? head.size() : end + 1;
    std::string_view trimmed = TrimBlanks(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    ++rows;
    fields += 1;
    bool in_word = false;
    for (char ch : trimmed) {
      if (ch == delimiter) ++fields;
      bool letter = ch != ' ' && ch != '\t' && ch != delimiter;
      if (letter && !in_word) ++words;
      in_word = letter;
    }
  }
  if (fields > 0 && words > 3 * fields) return none;
  Detection d;
  d.score = 20;
  d.reason = std::string("delimited rows (delimiter ") +
             (delimiter == '\t' ? std::string("tab") : std::string(1, delimiter)) + ")";
  return d;
}

}  // namespace feeds

std::vector<Format> FeedFormats() {
  std::vector<Format> formats;
  // Bundled definitions first (specific), the generic reader last.
  for (const feeds::FeedDefinition& def : feeds::BundledDefinitions()) {
    Format f;
    f.name = def.name;
    f.description = def.description;
    f.options = feeds::DefinitionOptions();
    const feeds::FeedDefinition* definition = &def;
    f.detect = [definition](std::string_view head) {
      return feeds::DetectDefinition(*definition, head);
    };
    f.read = [definition, options = f.options, name = f.name](
                 Input& input, const ReadContext& context, Sink& sink) -> core::Status {
      Format check;
      check.name = name;
      check.options = options;
      TESSERA_RETURN_IF_ERROR(CheckOptions(context, check));
      feeds::FeedDefinition tuned = *definition;
      TESSERA_RETURN_IF_ERROR(feeds::ApplyOptions(context, &tuned));
      return feeds::ReadWithDefinition(tuned, definition->name, input, context, sink);
    };
    formats.push_back(std::move(f));
  }
  Format csv;
  csv.name = std::string(feeds::kCsvFormat);
  csv.description =
      "delimited feeds (CSV, TSV, ...) with a column mapping from options or a TOML definition";
  csv.options = feeds::CsvOptions();
  csv.detect = [](std::string_view head) { return feeds::DetectDelimited(head); };
  csv.read = [](Input& input, const ReadContext& context, Sink& sink) -> core::Status {
    Format check;
    check.name = std::string(feeds::kCsvFormat);
    check.options = feeds::CsvOptions();
    TESSERA_RETURN_IF_ERROR(CheckOptions(context, check));
    feeds::FeedDefinition def;
    def.name = std::string(feeds::kCsvFormat);
    def.source_name = def.name;
    TESSERA_RETURN_IF_ERROR(feeds::ApplyOptions(context, &def));
    // Records are named after the generic reader, whatever the definition says.
    return feeds::ReadWithDefinition(def, feeds::kCsvFormat, input, context, sink);
  };
  formats.push_back(std::move(csv));
  return formats;
}

}  // namespace tessera::formats
