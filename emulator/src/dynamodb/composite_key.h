// Multi-attribute GSI keys (up to four partition and four sort attributes): the key bytes of a
// tuple of attributes, so that byte order (SQLite's blob order) equals tuple order, attribute by
// attribute, each by its type's order. Each attribute's order-preserving bytes (value.h key_bytes)
// are escaped (0x00 -> 0x00 0xFF) and terminated by 0x00 0x00: the encoding is self-delimiting,
// a shorter value sorts before its extensions, and a tuple prefix is a byte prefix.
// Single-attribute keys keep their plain key_bytes (the on-disk format of older indexes).
#pragma once
#include <string>
#include <vector>

namespace localaws::ddb {

// `bytes` with every 0x00 written as 0x00 0xFF (no terminator): the encoding of a value prefix.
std::string escape_key_part(const std::string& bytes);
// One attribute of a composite key: escaped and terminated.
std::string composite_key_part(const std::string& bytes);
// The composite key of a tuple of attributes' key bytes.
std::string composite_key(const std::vector<std::string>& parts);

}  // namespace localaws::ddb
