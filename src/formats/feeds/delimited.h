// Splitting delimited text into records and fields: RFC 4180 quoting (quoted
// fields may hold delimiters, doubled quotes and newlines; quotes inside an
// unquoted field are literal), runs of blanks as a delimiter, delimiter sniffing,
// and the rows of HTML tables. Views point into the caller's buffer or into the
// splitter's own unescape buffer, valid until the next call. Not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::formats::feeds {

struct SplitOptions {
  char delimiter = ',';     // ignored when whitespace
  bool whitespace = false;  // runs of spaces and tabs separate fields
  char quote = '"';         // 0: none
  bool trim = true;         // blanks around fields removed (quoted content kept)
};

// The longest record (a quoted field spanning lines included) the splitter
// accepts before it gives up on an unterminated quote.
inline constexpr size_t kMaxRecordBytes = size_t{1} << 20;

class RecordSplitter {
 public:
  enum class Status {
    kRecord,       // fields hold the record; *consumed bytes (newline included)
    kIncomplete,   // a quoted field runs past the end of `text` (more input needed)
    kUnterminated  // a quote never closes (end of input or kMaxRecordBytes): the
                   // first line alone is consumed, fields hold nothing
  };

  explicit RecordSplitter(SplitOptions options) : options_(options) {}

  // Splits the record starting at text[0]. `at_end`: no more input follows
  // `text`. *consumed: bytes of the record including its line end; *lines:
  // physical lines it spans. A trailing '\r' before '\n' is dropped.
  // `first_line_end`, when the caller knows it, is where the first '\n' of
  // `text` is (text.size() when there is none); npos: found here.
  Status Split(std::string_view text, bool at_end, size_t* consumed, size_t* lines,
               size_t first_line_end = std::string_view::npos);

  const std::vector<std::string_view>& fields() const { return fields_; }
  // The record's bytes without its line end (for rejects and raw keeping).
  std::string_view raw() const { return raw_; }

 private:
  Status SplitQuoted(std::string_view text, size_t first_line_end, bool at_end, size_t* consumed,
                     size_t* lines);
  void SplitSimple(std::string_view line);

  SplitOptions options_;
  std::vector<std::string_view> fields_;
  std::string_view raw_;
  std::string unescaped_;
};

// The delimiter that splits `sample` (the first lines of a feed, comment lines
// skipped) into the same number (>= 2) of fields on most lines: one of , ; \t |,
// else ' ' for runs of blanks when those split consistently, else 0 (one value
// per line).
char SniffDelimiter(std::string_view sample, const std::vector<std::string>& comment_prefixes,
                    char quote = '"');

// The rows of an HTML table: <tr> elements and their <td>/<th> cells, tags inside
// cells removed, character references decoded, blanks collapsed. Fed chunk by
// chunk; a row cut by a chunk end is kept until the rest arrives.
class HtmlTableSplitter {
 public:
  struct Row {
    std::vector<std::string> cells;
    bool header = false;       // all cells were <th>
    uint64_t line = 0;         // 1-based line of "<tr"
    uint64_t byte_offset = 0;  // offset of "<tr" in the input
    std::string raw;           // the row's markup (up to kMaxRecordBytes)
  };

  // Appends `chunk` (which starts at input offset `offset`); rows complete so far
  // go to *rows. With `at_end`, an open row is closed at the end of the input.
  void Feed(std::string_view chunk, uint64_t offset, bool at_end, std::vector<Row>* rows);

 private:
  void ParseRow(std::string_view markup, Row* row) const;

  std::string pending_;          // bytes not yet consumed
  uint64_t pending_offset_ = 0;  // input offset of pending_[0]
  uint64_t pending_line_ = 1;    // line number at pending_[0]
};

// Collapses blanks, strips tags, and decodes &amp; &lt; &gt; &quot; &apos; &#39;
// &nbsp; and numeric references (exposed for tests).
std::string HtmlCellText(std::string_view markup);

}  // namespace tessera::formats::feeds
