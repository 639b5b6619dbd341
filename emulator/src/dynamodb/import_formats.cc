// Reading ImportTable's source objects
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.Format.html):
//  - DYNAMODB_JSON: one {"Item": {...}} object per line (what a full export writes);
//  - ION: one `$ion_1_0 {Item: {...}}` record per line (ion.cc);
//  - CSV (RFC 4180 quoting): a header line (or InputFormatOptions.Csv.HeaderList, and then the
//    first line is data), one item per line; every value is a string (S) except the key
//    attributes of the table and its GSIs, which get their AttributeDefinitions type. Empty
//    fields are left out of the item.
#include <zstd.h>

#include <memory>

#include "common/compression.h"
#include "dynamodb/exports.h"

namespace localaws::ddb {
namespace {

// The records of a CSV text: fields split on delim, "..." quoting with "" for a quote; a quoted
// field may hold delimiters and line breaks. Blank lines are skipped.
std::vector<std::vector<std::string>> csv_rows(std::string_view text, char delim) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  auto end_row = [&] {
    if (any || !field.empty() || !row.empty()) {
      row.push_back(std::move(field));
      rows.push_back(std::move(row));
    }
    row.clear();
    field.clear();
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field.push_back(ch);
      }
    } else if (ch == '"') {
      quoted = true;
      any = true;
    } else if (ch == delim) {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (ch == '\n') {
      end_row();
    } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // the \n ends the row
    } else {
      field.push_back(ch);
    }
  }
  end_row();
  return rows;
}

// The AttributeValue of a CSV field: key attributes as defined, everything else a string.
json csv_value(const Table& t, const std::string& name, const std::string& value) {
  for (auto& d : t.meta["AttributeDefinitions"])
    if (d["AttributeName"] == name) return {{d["AttributeType"].get<std::string>(), value}};
  return {{"S", value}};
}

void parse_csv(const ImportFormat& f, const Table& t, std::string_view text,
               const std::function<void(json*, const std::string&)>& visit) {
  auto rows = csv_rows(text, f.delimiter);
  std::vector<std::string> header = f.header;
  size_t first = 0;
  if (header.empty()) {
    if (rows.empty()) return;
    header = rows[0];
    first = 1;
  }
  for (size_t i = first; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (row.size() != header.size()) {
      visit(nullptr, "The CSV line has " + std::to_string(row.size()) + " values but the header has " +
                         std::to_string(header.size()));
      continue;
    }
    json item = json::object();
    for (size_t k = 0; k < row.size(); ++k)
      if (!row[k].empty()) item[header[k]] = csv_value(t, header[k], row[k]);
    visit(&item, "");
  }
}

void parse_lines(bool ion, std::string_view text, const std::function<void(json*, const std::string&)>& visit) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string why;
    json doc;
    if (ion) {
      doc = parse_ion_record(line, &why).value_or(json());
    } else {
      doc = json::parse(line, nullptr, false);
      if (doc.is_discarded() || !doc.is_object()) why = "Unexpected token in DynamoDB JSON: the line is not a JSON object";
    }
    if (!why.empty()) {
      visit(nullptr, why);
    } else if (!doc.contains("Item") || !doc["Item"].is_object()) {
      visit(nullptr, "The line has no Item object");
    } else {
      visit(&doc["Item"], "");
    }
  }
}

// Zstandard frames (several may follow each other), at most max bytes out.
std::optional<std::string> unzstd(const std::string& in, size_t max, std::string* why) {
  std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream*)> ds(ZSTD_createDStream(), ZSTD_freeDStream);
  std::string out;
  char buf[65536];
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  size_t last = 0;
  for (;;) {
    ZSTD_outBuffer dst{buf, sizeof buf, 0};
    last = ZSTD_decompressStream(ds.get(), &dst, &src);
    if (ZSTD_isError(last)) {
      *why = std::string("The object is not valid ZSTD data: ") + ZSTD_getErrorName(last);
      return std::nullopt;
    }
    if (out.size() + dst.pos > max) {
      *why = "The decompressed object is larger than localaws imports (" + std::to_string(max) + " bytes)";
      return std::nullopt;
    }
    out.append(buf, dst.pos);
    if (src.pos == src.size && dst.pos < sizeof buf) break;  // input used up, output drained
  }
  if (last != 0) {
    *why = "The object is not valid ZSTD data: truncated frame";
    return std::nullopt;
  }
  return out;
}

}  // namespace

void parse_records(const ImportFormat& f, const Table& t, std::string_view text,
                   const std::function<void(json* item, const std::string& error)>& visit) {
  if (f.format == "CSV") return parse_csv(f, t, text, visit);
  parse_lines(f.format == "ION", text, visit);
}

std::optional<std::string> decode_source(const std::string& compression, std::string bytes, size_t max,
                                         std::string* why) {
  if (compression == "NONE") return bytes;
  std::string out;
  if (bytes.empty()) return out;
  if (compression == "ZSTD") return unzstd(bytes, max, why);
  if (auto err = compression::decompress(compression::Coding::kGzip, bytes, max, out)) {
    *why = "The object is not valid GZIP data: " + err->message;
    return std::nullopt;
  }
  return out;
}

}  // namespace localaws::ddb
