// User metadata values as S3 stores and returns them.
#pragma once

#include <string>

namespace localaws::s3 {

// A value as sent (header bytes) -> as stored: UTF-8, RFC 2047 encoded words (UTF-8, ISO-8859-1,
// US-ASCII; B or Q) decoded; bytes that are not UTF-8 read as ISO-8859-1. A malformed encoded
// word leaves the value as sent.
std::string stored_meta_value(const std::string& v);

// A stored value -> as returned on GET/HEAD: as is when US-ASCII, else one "=?UTF-8?B?...?=" word.
std::string returned_meta_value(const std::string& v);

}  // namespace localaws::s3
